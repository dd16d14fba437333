package dev.crcexporter.poll;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a scrape needs to know about one account, as of its last poll. Immutable: a poll builds
 * a new one and swaps it in, so a scrape never sees half an update.
 *
 * @param account      the configured account
 * @param usage        the last good data, already cut to the poll's window (oldest day first)
 * @param polled       whether a first poll has finished, successfully or not
 * @param up           whether the last poll succeeded
 * @param lastSuccess  end of the last successful poll, if any
 * @param lastDuration duration of the last poll, retries included
 * @param lastError    the last failure, if any (kept after a later success, for the landing page)
 * @param errorCounts  failed upstream requests so far, by reason (every reason present)
 */
public record AccountSnapshot(
        AccountConfig account,
        List<DailyUsage> usage,
        boolean polled,
        boolean up,
        Optional<Instant> lastSuccess,
        Optional<Duration> lastDuration,
        Optional<PollError> lastError,
        Map<FailureReason, Long> errorCounts) {

    public AccountSnapshot {
        usage = List.copyOf(usage);
        errorCounts = Map.copyOf(errorCounts);
    }

    /** Before the first poll: no data, nothing failed yet. */
    public static AccountSnapshot initial(AccountConfig account) {
        Map<FailureReason, Long> zeros = new EnumMap<>(FailureReason.class);
        for (FailureReason reason : FailureReason.values()) {
            zeros.put(reason, 0L);
        }
        return new AccountSnapshot(account, List.of(), false, false, Optional.empty(), Optional.empty(),
                Optional.empty(), zeros);
    }

    public String name() {
        return account.name();
    }

    /** The same data and counters under the account's new settings (a reload that changed only its capacity). */
    public AccountSnapshot withAccount(AccountConfig settings) {
        return new AccountSnapshot(settings, usage, polled, up, lastSuccess, lastDuration, lastError, errorCounts);
    }

    public AccountSnapshot withSuccess(List<DailyUsage> newUsage, Instant at, Duration took) {
        return new AccountSnapshot(account, newUsage, true, true, Optional.of(at), Optional.of(took), lastError,
                errorCounts);
    }

    /** A finished poll whose last attempt failed: the last good data stays. */
    public AccountSnapshot withFailure(Duration took) {
        return new AccountSnapshot(account, usage, true, false, lastSuccess, Optional.of(took), lastError, errorCounts);
    }

    /** One failed request (a poll may retry several times). */
    public AccountSnapshot withError(PollError error) {
        Map<FailureReason, Long> counts = new EnumMap<>(errorCounts);
        counts.merge(error.reason(), 1L, Long::sum);
        return new AccountSnapshot(account, usage, polled, up, lastSuccess, lastDuration, Optional.of(error), counts);
    }
}
