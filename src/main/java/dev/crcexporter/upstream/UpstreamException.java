package dev.crcexporter.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed call of the CRC usage API. The message is safe to log: it never holds the secret
 * (the client redacts it before building this exception).
 */
public final class UpstreamException extends Exception {
    private final FailureReason reason;
    private final Duration retryAfter;

    public UpstreamException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    public UpstreamException(FailureReason reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public FailureReason reason() {
        return reason;
    }

    /** How long the API asked us to wait (HTTP 429 with {@code Retry-After}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
