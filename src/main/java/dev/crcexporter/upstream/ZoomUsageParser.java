package dev.crcexporter.upstream;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads Zoom's "Get CRC port usage" answer. Success is HTTP 200 without a {@code status} field; days and hours are
 * read by {@link UsageJson} as for the seed API, in Zoom's {@link UsageJson.Dialect#ZOOM dialect} (a date or a
 * date-time, hours with or without a leading zero).
 *
 * <pre>{"from": "2026-11-25", "to": "2026-11-26", "crc_ports_usage": [{"date_time": "2026-11-25",
 *   "crc_ports_hour_usage": [{"hour": "7", "max_usage": 6, "total_usage": 8}, ...]}]}</pre>
 *
 * Errors are an HTTP status with {@code {"code": 124, "message": "Invalid access token."}}.
 */
public final class ZoomUsageParser {
    private ZoomUsageParser() {}

    /** Every day of the answer, in the answer's order; {@code redact} masks secrets in whatever a message quotes. */
    public static List<DailyUsage> parse(byte[] body, UnaryOperator<String> redact) throws UpstreamException {
        UsageJson json = new UsageJson(redact);
        return json.days(json.object(body).get("crc_ports_usage"), "crc_ports_usage", UsageJson.Dialect.ZOOM);
    }

    /** An error answer as a message ends: {@code ": code 124: Invalid access token."}, or the body's start. */
    static String errorText(byte[] body, UnaryOperator<String> redact) {
        return new UsageJson(redact).errorFields(body, "code", "message").filter(f -> !f.get(1).isEmpty())
                .map(f -> ": " + (f.get(0).isEmpty() ? "" : "code " + f.get(0) + ": ") + f.get(1))
                .orElseGet(() -> HttpAnswers.bodyExcerpt(body, redact));
    }
}
