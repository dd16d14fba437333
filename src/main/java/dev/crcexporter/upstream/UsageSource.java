package dev.crcexporter.upstream;

import java.time.LocalDate;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The daily usage of one account, from whichever API it comes: callers (the poller, the history of backfill, report
 * and the landing page) ask for an inclusive range of dates and never know which API answers. {@link UsageSources}
 * chooses the implementation.
 */
public interface UsageSource {
    /**
     * The days from {@code from} to {@code toInclusive} as the API reported them; the answer may hold other days or
     * miss some, in any order, so callers filter by date. Failures come as an {@link UpstreamException} whose message
     * holds no secret.
     */
    List<DailyUsage> fetch(LocalDate from, LocalDate toInclusive) throws UpstreamException;

    /** Masks every secret this source sends (secrets, derived header values, tokens) in text about it. */
    UnaryOperator<String> redactor();
}
