package dev.crcexporter.config;

import java.time.Duration;

/**
 * Retries of a failed poll inside one poll interval: exponential backoff with jitter, at most
 * {@code maxAttempts} requests in all.
 */
public record RetryConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryConfig DEFAULT = new RetryConfig(3, Duration.ofSeconds(5), Duration.ofMinutes(1));
}
