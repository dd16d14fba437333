package dev.crcexporter.backfill;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;

/**
 * Where the samples of each local day go: one OpenMetrics stream for the whole range, or one per day.
 * {@code promtool tsdb create-blocks-from openmetrics} reads its input file once for every 2-hour block it
 * covers, so a 90-day file is read about 1,000 times; files of one day each are read 12 times.
 */
@FunctionalInterface
public interface BackfillOutput {
    /** The stream that takes the samples of {@code day}; the same one for the same day. */
    Writer forDay(LocalDate day) throws IOException;
}
