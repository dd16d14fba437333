package dev.crcexporter.backfill;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes OpenMetrics text as {@code promtool tsdb create-blocks-from openmetrics} wants it, streaming:
 * a family's {@code # TYPE} and {@code # HELP} once, then all its samples, then the next family, and
 * {@code # EOF} at the end. Only gauges with integer values and timestamps in whole seconds, which is all
 * the backfill writes. Within a series, a sample whose timestamp is not after the previous one is dropped
 * (promtool refuses out-of-order samples); {@link #sample} reports whether it was written.
 *
 * <pre>
 * # TYPE crc_ports_current_max_usage gauge
 * # HELP crc_ports_current_max_usage Peak number of ...
 * crc_ports_current_max_usage{account="hq"} 30 1764122400
 * # EOF
 * </pre>
 */
public final class OpenMetricsWriter {
    private final Writer out;
    private final StringBuilder line = new StringBuilder(128);
    private String family;
    private String series;
    private long lastTimestamp;

    public OpenMetricsWriter(Writer out) {
        this.out = out;
    }

    /** Starts a gauge family; every family may be started once, and its samples must follow. */
    public void gauge(String name, String help) throws IOException {
        family = name;
        series = null;
        out.write("# TYPE " + name + " gauge\n# HELP " + name + " " + escapeHelp(help) + "\n");
    }

    /**
     * Starts the series {@code family{label="value"}} of the current family; nothing changes if it is the current
     * one.
     */
    public void series(String label, String value) {
        if (family == null) {
            throw new IllegalStateException("series before any family");
        }
        String next = family + "{" + label + "=\"" + escapeLabelValue(value) + "\"} ";
        if (!next.equals(series)) {
            series = next;
            lastTimestamp = Long.MIN_VALUE;
        }
    }

    /** One sample of the current series; false (and nothing written) if its timestamp is not increasing. */
    public boolean sample(long value, long epochSeconds) throws IOException {
        if (series == null) {
            throw new IllegalStateException("sample before any series");
        }
        if (epochSeconds <= lastTimestamp) {
            return false;
        }
        lastTimestamp = epochSeconds;
        line.setLength(0);
        line.append(series).append(value).append(' ').append(epochSeconds).append('\n');
        out.append(line);
        return true;
    }

    /** Writes {@code # EOF} and flushes; the stream stays open. */
    public void finish() throws IOException {
        out.write("# EOF\n");
        out.flush();
    }

    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
