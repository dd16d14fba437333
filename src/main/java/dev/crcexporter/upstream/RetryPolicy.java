package dev.crcexporter.upstream;

import dev.crcexporter.config.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a failed upstream request is retried, shared by the daemon's {@code Poller}, the history, the report and the
 * backfill: at most {@code retry.max_attempts} requests, exponential backoff with "equal jitter" capped at
 * {@code retry.max_backoff}, and a {@code Retry-After} from the API honoured up to {@link #MAX_RETRY_AFTER}.
 */
public final class RetryPolicy {
    /** The longest Retry-After we honour; a longer one is treated as this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final RetryConfig config;

    public RetryPolicy(RetryConfig config) {
        this.config = config;
    }

    /** Whether another request may follow the failed attempt number {@code attempt} (1-based). */
    public boolean mayRetry(int attempt) {
        return attempt < config.maxAttempts();
    }

    /** The jittered backoff after failed attempt number {@code attempt} (1-based). */
    public Duration backoff(int attempt) {
        long base = config.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, config.maxBackoff().toMillis());
        // "Equal jitter": half fixed, half random, so retries of many accounts spread out.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** A Retry-After bounded to {@link #MAX_RETRY_AFTER}. */
    public static Duration honoured(Duration retryAfter) {
        return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }

    /** The wait before the next attempt: the backoff, or the (bounded) Retry-After when that is longer. */
    public Duration delay(int attempt, Duration retryAfter) {
        Duration delay = backoff(attempt);
        if (retryAfter != null) {
            Duration honoured = honoured(retryAfter);
            delay = honoured.compareTo(delay) > 0 ? honoured : delay;
        }
        return delay;
    }
}
