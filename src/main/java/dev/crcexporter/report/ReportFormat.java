package dev.crcexporter.report;

import java.io.IOException;
import java.io.Writer;

/** The formats of {@code --format}. */
public enum ReportFormat {
    TEXT, CSV, JSON, HTML;

    public void write(CapacityReport report, Writer out) throws IOException {
        switch (this) {
            case TEXT -> TextReport.write(report, out);
            case CSV -> CsvReport.write(report, out);
            case JSON -> JsonReport.write(report, out);
            case HTML -> HtmlReport.write(report, out);
        }
        out.flush();
    }
}
