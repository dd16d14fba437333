package dev.crcexporter.upstream;

import java.util.Locale;

/** Why a poll failed; the {@code reason} label of {@code crc_exporter_poll_errors_total}. */
public enum FailureReason {
    /** No complete answer within the configured timeout. */
    TIMEOUT,
    /** The connection could not be made or broke (refused, DNS, reset). */
    CONNECT,
    /** An HTTP status other than 2xx (and other than 429). */
    HTTP_STATUS,
    /** HTTP 429: the vendor's rate limit. */
    RATE_LIMITED,
    /** HTTP 200 but the answer's {@code status} is not 200. */
    API_STATUS,
    /** The body is not the documented JSON, or is far too large. */
    MALFORMED,
    /**
     * A Zoom account could not sign in: the token endpoint refused the credentials or answered nonsense, or the
     * metrics call refused a freshly issued token. Zoom's {@code reason}/{@code error} text is in the message.
     */
    AUTH,
    /** Not the API's fault: an error inside crc-exporter (a bug), logged at ERROR. Never raised by the client. */
    INTERNAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
