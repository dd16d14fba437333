package dev.crcexporter.report;

import dev.crcexporter.capacity.Observations.HourPeak;
import dev.crcexporter.capacity.Recommendation;
import dev.crcexporter.report.AccountReport.HoursAtLevel;
import dev.crcexporter.report.CapacityReport.AccountResult;
import dev.crcexporter.report.CapacityReport.FailedAccount;
import dev.crcexporter.upstream.HourUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The figures of an account under their stable names: the columns of the CSV and the keys of each account in the
 * JSON (docs/capacity-report.md lists them). Values are String, Long, Integer, BigDecimal, Boolean, LocalDate,
 * a List of LocalDate, or null for "not known" (missing data, no capacity, a failed account): never 0 for missing.
 */
public final class ReportColumns {
    private record Column(String name, Function<Row, Object> value) {}

    private record Row(ReportOptions options, AccountResult result) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("account", row -> row.result().account()),
            new Column("status", row -> row.result() instanceof AccountReport ? "ok" : "failed"),
            new Column("error", row -> row.result() instanceof FailedAccount failed ? failed.error() : null),
            new Column("from", row -> row.options().from()),
            new Column("to", row -> row.options().to()),
            new Column("business_days", row -> emptyToNull(row.options().selection().daysText())),
            new Column("business_hours", row -> emptyToNull(row.options().selection().hoursText())),
            figure("timezone", r -> r.zone().getId()),
            figure("capacity", r -> boxed(r.capacity())),
            figure("days", r -> r.coverage().days()),
            figure("days_with_data", r -> r.coverage().daysWithData()),
            figure("missing_days", r -> r.coverage().missingDays()),
            figure("hours_expected", r -> r.coverage().hoursExpected()),
            figure("hours_with_data", r -> r.coverage().hoursReported()),
            figure("hours_missing", r -> r.coverage().hoursMissing()),
            figure("peak", r -> r.peak().map(HourPeak::ports).orElse(null)),
            figure("peak_date", r -> r.peak().map(HourPeak::date).orElse(null)),
            figure("peak_hour", r -> r.peak().map(p -> HourUsage.label(p.hour())).orElse(null)),
            figure("peak_hours", r -> r.peak().isPresent() ? r.hoursAtPeak() : null),
            figure("daily_peak_p95", r -> boxed(r.dailyPeakP95())),
            figure("daily_peak_p99", r -> boxed(r.dailyPeakP99())),
            figure("hours_at_80pct", r -> r.nearCapacity().map(HoursAtLevel::hours).orElse(null)),
            figure("days_at_80pct", r -> r.nearCapacity().map(l -> l.dates().size()).orElse(null)),
            figure("dates_at_80pct", r -> r.nearCapacity().map(HoursAtLevel::dates).orElse(null)),
            figure("hours_at_capacity", r -> r.atCapacity().map(HoursAtLevel::hours).orElse(null)),
            figure("days_at_capacity", r -> r.atCapacity().map(l -> l.dates().size()).orElse(null)),
            figure("dates_at_capacity", r -> r.atCapacity().map(HoursAtLevel::dates).orElse(null)),
            figure("censored", r -> r.atCapacity().isPresent() ? r.censored() : null),
            figure("weeks_in_trend", r -> r.trend().weeksFitted()),
            figure("trend_ports_per_week", r -> r.trend().slope().isPresent()
                    ? BigDecimal.valueOf(r.trend().slope().getAsDouble()).setScale(3, RoundingMode.HALF_UP) : null),
            figure("trend_reaches_capacity", r -> r.trend().crossing().reach().label()),
            figure("trend_reaches_capacity_week", r -> r.trend().crossing().week().orElse(null)),
            new Column("percentile", row -> decimal(row.options().rule().percentile())),
            new Column("headroom_percent", row -> decimal(row.options().rule().headroomPercent())),
            figure("hourly_peak_percentile", r -> r.recommendation().map(Recommendation::basis).orElse(null)),
            figure("recommended_ports", r -> r.recommendation().map(Recommendation::ports).orElse(null)),
            figure("recommended_change", r -> boxed(r.recommendedChange())),
            figure("recommendation_is_lower_bound",
                    r -> r.recommendation().map(Recommendation::lowerBound).orElse(null)),
            new Column("rule", row -> row.options().rule().text()));

    /** The names, in column order. */
    public static final List<String> NAMES = COLUMNS.stream().map(Column::name).toList();

    private ReportColumns() {}

    /** The account's figures by name, in column order. */
    public static Map<String, Object> of(ReportOptions options, AccountResult result) {
        Row row = new Row(options, result);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Column column : COLUMNS) {
            values.put(column.name(), column.value().apply(row));
        }
        return values;
    }

    /** A figure of an account with a report; null for a failed account. */
    private static Column figure(String name, Function<AccountReport, Object> value) {
        return new Column(name, row -> row.result() instanceof AccountReport report ? value.apply(report) : null);
    }

    private static Object boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    private static Object boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    /** Without trailing zeros, and never in exponent form: 10 and 99.5, not 1E+1. */
    static BigDecimal decimal(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
