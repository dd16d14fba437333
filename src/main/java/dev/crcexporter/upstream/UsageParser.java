package dev.crcexporter.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads the answer of the seed ("systec") CRC usage API. Strict: anything that is not the documented shape is
 * {@link FailureReason#MALFORMED}, so a half-understood answer never becomes metrics. Days and hours are read by
 * {@link UsageJson}, as for Zoom.
 *
 * <pre>{"status": 200, "message": "OK", "data": [{"date_time": "2019-12-01",
 *   "crc_ports_hour_usage": [{"hour": "00", "max_usage": 0, "total_usage": 0}, ...]}]}</pre>
 */
public final class UsageParser {
    /** Far above any real port count or hourly connection count; larger numbers mean a broken answer. */
    static final long MAX_PLAUSIBLE_USAGE = UsageJson.MAX_PLAUSIBLE_USAGE;

    private UsageParser() {}

    /**
     * Every day of the answer, in the answer's order; throws for an API error status or a malformed body.
     * {@code redact} masks secrets in quoted answer text before it is cut to length, so that a cut never leaves part
     * of a secret behind.
     */
    public static List<DailyUsage> parse(byte[] body, UnaryOperator<String> redact) throws UpstreamException {
        UsageJson json = new UsageJson(redact);
        JsonNode root = json.object(body);
        JsonNode status = root.get("status");
        if (status == null || !status.isIntegralNumber() || !status.canConvertToInt()) {
            throw UsageJson.malformed("\"status\" is missing or not an integer");
        }
        if (status.asLong() != 200) {
            JsonNode message = root.get("message");
            String text = message == null || message.isNull() ? "(no message)"
                    : message.isTextual() ? json.printable(message.asText()) : json.shown(message);
            throw new UpstreamException(FailureReason.API_STATUS, "API status " + status.asLong() + ": " + text);
        }
        return json.days(root.get("data"), "data", UsageJson.Dialect.SYSTEC);
    }
}
