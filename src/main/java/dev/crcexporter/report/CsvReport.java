package dev.crcexporter.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.crcexporter.report.CapacityReport.AccountResult;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --format=csv}: a header row of {@link ReportColumns#NAMES} and one row per account, in configuration order.
 * Unknown values are empty cells; lists of dates are separated by spaces.
 */
final class CsvReport {
    /** Quote only where needed (Jackson otherwise quotes every value longer than 24 characters). */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();
    private static final CsvSchema SCHEMA = CsvSchema.builder()
            .addColumns(ReportColumns.NAMES, CsvSchema.ColumnType.STRING).build().withHeader();

    private CsvReport() {}

    static void write(CapacityReport report, Writer out) throws IOException {
        try (SequenceWriter rows = CSV.writer(SCHEMA).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValues(out)) {
            for (AccountResult account : report.accounts()) {
                Map<String, String> row = new LinkedHashMap<>();
                ReportColumns.of(report.options(), account).forEach((name, value) -> row.put(name, text(value)));
                rows.write(row);
            }
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(LocalDate.class::cast).map(LocalDate::toString).collect(Collectors.joining(" "));
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }
}
