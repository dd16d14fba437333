package dev.crcexporter.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.capacity.Observations.DailyPeak;
import dev.crcexporter.capacity.WeeklyTrend.WeeklyPeak;
import dev.crcexporter.report.CapacityReport.AccountResult;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code --format=json}: the report's options, then per account the {@link ReportColumns} under the same names
 * plus {@code daily_peaks}, {@code weekly_peaks} and {@code weekday_hour_peaks}. Unknown values are null.
 */
final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonReport() {}

    static void write(CapacityReport report, Writer out) throws IOException {
        ReportOptions options = report.options();
        ObjectNode root = JSON.createObjectNode();
        root.put("from", options.from().toString()).put("to", options.to().toString())
                .put("generated_at", report.generatedAt().toString());
        put(root, "business_days", options.selection().daysText().isEmpty() ? null : options.selection().daysText());
        put(root, "business_hours", options.selection().hoursText().isEmpty() ? null : options.selection().hoursText());
        root.put("percentile", ReportColumns.decimal(options.rule().percentile()))
                .put("headroom_percent", ReportColumns.decimal(options.rule().headroomPercent()))
                .put("horizon_months", options.rule().horizonMonths())
                .put("rule", options.rule().text());
        ArrayNode accounts = root.putArray("accounts");
        for (AccountResult result : report.accounts()) {
            ObjectNode account = accounts.addObject();
            ReportColumns.of(options, result).forEach((name, value) -> put(account, name, value));
            if (result instanceof AccountReport figures) {
                series(account, figures);
            }
        }
        JSON.writeValue(out, root);
        out.write('\n');
    }

    private static void series(ObjectNode account, AccountReport report) {
        ArrayNode days = account.putArray("daily_peaks");
        for (DailyPeak day : report.dailyPeaks()) {
            ObjectNode node = days.addObject().put("date", day.date().toString());
            put(node, "peak", boxed(day.peak()));
        }
        ArrayNode weeks = account.putArray("weekly_peaks");
        for (WeeklyPeak week : report.trend().weeks()) {
            ObjectNode node = weeks.addObject().put("week_start", week.weekStart().toString());
            put(node, "peak", boxed(week.peak()));
            node.put("complete", week.complete());
            put(node, "trend", week.trend().isPresent()
                    ? BigDecimal.valueOf(week.trend().getAsDouble()).setScale(3, RoundingMode.HALF_UP) : null);
        }
        ObjectNode grid = account.putObject("weekday_hour_peaks");
        for (DayOfWeek day : DayOfWeek.values()) {
            ArrayNode hours = grid.putArray(HourSelection.shortName(day));
            for (int h = 0; h < 24; h++) {
                OptionalLong peak = report.grid().peak(day, h);
                if (peak.isPresent()) {
                    hours.add(peak.getAsLong());
                } else {
                    hours.addNull();
                }
            }
        }
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static void put(ObjectNode node, String name, Object value) {
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof String text) {
            node.put(name, text);
        } else if (value instanceof Integer number) {
            node.put(name, number);
        } else if (value instanceof Long number) {
            node.put(name, number);
        } else if (value instanceof BigDecimal number) {
            node.put(name, number);
        } else if (value instanceof Boolean flag) {
            node.put(name, flag);
        } else if (value instanceof List<?> list) {
            ArrayNode array = node.putArray(name);
            list.forEach(item -> array.add(item.toString()));
        } else {
            node.put(name, value.toString()); // dates
        }
    }
}
