package dev.crcexporter.upstream;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What every source reads the same way from an HTTP answer: {@code Retry-After}, the start of an error body, and how
 * any upstream text is made fit for a log line and a page ({@link #printable}).
 */
final class HttpAnswers {
    private static final int MAX_ERROR_BODY_CHARS = 120;
    /**
     * Control characters (C0, DEL, C1) and the bidirectional controls that make a terminal or a page show text in
     * another order than it is (U+202A..U+202E embeddings and overrides, U+2066..U+2069 isolates).
     */
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]");

    private HttpAnswers() {}

    /**
     * {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110 section 10.2.3), or as an ISO-8601 instant
     * ({@code 2026-11-27T00:00:00Z}: how Zoom's daily limit has been seen to say when it resets); null when absent
     * or unreadable. A moment in the past is zero.
     */
    static Duration retryAfter(HttpHeaders headers, Clock clock) {
        String header = headers.firstValue("Retry-After").orElse(null);
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            Instant at = instant(value);
            if (at == null) {
                return null;
            }
            Duration until = Duration.between(clock.instant(), at);
            return until.isNegative() ? Duration.ZERO : until;
        }
    }

    private static Instant instant(String value) {
        for (DateTimeFormatter format
                : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, DateTimeFormatter.ISO_DATE_TIME}) {
            try {
                return ZonedDateTime.parse(value, format).toInstant();
            } catch (DateTimeParseException next) {
                // try the next form
            }
        }
        return null;
    }

    /** The start of an error body, one line; redacted before it is cut, so no part of a secret survives the cut. */
    static String bodyExcerpt(byte[] body, UnaryOperator<String> redact) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = printable(redact.apply(new String(body, StandardCharsets.UTF_8))).replaceAll("\\s+", " ").trim();
        if (text.length() > MAX_ERROR_BODY_CHARS) {
            text = text.substring(0, MAX_ERROR_BODY_CHARS) + "...";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    /** The one way upstream text is cleaned: every unprintable character (see {@link #UNPRINTABLE}) becomes a space. */
    static String printable(String text) {
        return UNPRINTABLE.matcher(text).replaceAll(" ");
    }
}
