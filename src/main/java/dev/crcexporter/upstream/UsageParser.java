package dev.crcexporter.upstream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the answer of the CRC usage API. Strict: anything that is not the documented shape is
 * {@link FailureReason#MALFORMED}, so a half-understood answer never becomes metrics.
 *
 * <pre>{"status": 200, "message": "OK", "data": [{"date_time": "2019-12-01",
 *   "crc_ports_hour_usage": [{"hour": "00", "max_usage": 0, "total_usage": 0}, ...]}]}</pre>
 */
public final class UsageParser {
    /** Far above any real port count or hourly connection count; larger numbers mean a broken answer. */
    static final long MAX_PLAUSIBLE_USAGE = 1_000_000;
    private static final int MAX_MESSAGE_CHARS = 200;
    private static final Pattern HOUR = Pattern.compile("[01][0-9]|2[0-3]");
    private static final Pattern QUOTED_BODY_TEXT = Pattern.compile("'(?!(?:null|true|false)')[^']{2,}'");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** Strict: a repeated key or anything after the JSON value (but white space) makes the answer malformed. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Applied to every piece of answer text a message quotes, before it is shortened. */
    private final UnaryOperator<String> redact;

    private UsageParser(UnaryOperator<String> redact) {
        this.redact = redact;
    }

    /** Every day of the answer, in the answer's order; throws for an API error status or a malformed body. */
    public static List<DailyUsage> parse(byte[] body) throws UpstreamException {
        return parse(body, UnaryOperator.identity());
    }

    /**
     * Like {@link #parse(byte[])}; {@code redact} masks secrets in quoted answer text before it is cut to
     * length, so that a cut never leaves part of a secret behind.
     */
    public static List<DailyUsage> parse(byte[] body, UnaryOperator<String> redact) throws UpstreamException {
        return new UsageParser(redact).read(body);
    }

    private List<DailyUsage> read(byte[] body) throws UpstreamException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw malformed("the body is not valid JSON (" + printable(withoutQuotedBody(e.getOriginalMessage())) + ")");
        } catch (java.io.IOException e) {
            throw malformed("the body cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            throw malformed("the body is not a JSON object");
        }
        JsonNode status = root.get("status");
        if (status == null || !status.isIntegralNumber() || !status.canConvertToInt()) {
            throw malformed("\"status\" is missing or not an integer");
        }
        if (status.asLong() != 200) {
            JsonNode message = root.get("message");
            String text = message == null || message.isNull() ? "(no message)"
                    : message.isTextual() ? printable(message.asText()) : shown(message);
            throw new UpstreamException(FailureReason.API_STATUS, "API status " + status.asLong() + ": " + text);
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            throw malformed("\"data\" is missing or not a list");
        }
        List<DailyUsage> days = new ArrayList<>(data.size());
        Set<LocalDate> seen = new HashSet<>();
        for (int i = 0; i < data.size(); i++) {
            DailyUsage day = day(data.get(i), "data[" + i + "]");
            if (!seen.add(day.date())) {
                throw malformed("data[" + i + "].date_time " + day.date() + " appears twice");
            }
            days.add(day);
        }
        return days;
    }

    private DailyUsage day(JsonNode node, String where) throws UpstreamException {
        if (!node.isObject()) {
            throw malformed(where + " is not an object");
        }
        JsonNode dateNode = node.get("date_time");
        if (dateNode == null || !dateNode.isTextual() || !DATE.matcher(dateNode.asText()).matches()) {
            throw malformed(where + ".date_time must be a yyyy-MM-dd string (got " + shown(dateNode) + ")");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(dateNode.asText());
        } catch (DateTimeParseException e) {
            throw malformed(where + ".date_time is not a calendar date (got " + shown(dateNode) + ")");
        }
        JsonNode hoursNode = node.get("crc_ports_hour_usage");
        if (hoursNode == null || !hoursNode.isArray()) {
            throw malformed(where + ".crc_ports_hour_usage is missing or not a list");
        }
        List<HourUsage> hours = new ArrayList<>(hoursNode.size());
        boolean[] seen = new boolean[24];
        for (int j = 0; j < hoursNode.size(); j++) {
            String at = where + ".crc_ports_hour_usage[" + j + "]";
            JsonNode hourNode = hoursNode.get(j);
            if (!hourNode.isObject()) {
                throw malformed(at + " is not an object");
            }
            JsonNode hourText = hourNode.get("hour");
            if (hourText == null || !hourText.isTextual() || !HOUR.matcher(hourText.asText()).matches()) {
                throw malformed(at + ".hour must be a string \"00\"..\"23\" (got " + shown(hourText) + ")");
            }
            int hour = Integer.parseInt(hourText.asText());
            if (seen[hour]) {
                throw malformed(at + ".hour \"" + hourText.asText() + "\" appears twice on " + date);
            }
            seen[hour] = true;
            hours.add(new HourUsage(hour, count(hourNode, "max_usage", at), count(hourNode, "total_usage", at)));
        }
        return new DailyUsage(date, hours);
    }

    private long count(JsonNode hourNode, String field, String at) throws UpstreamException {
        JsonNode value = hourNode.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || value.asLong() < 0 || value.asLong() > MAX_PLAUSIBLE_USAGE) {
            throw malformed(at + "." + field + " must be an integer between 0 and " + MAX_PLAUSIBLE_USAGE
                    + " (got " + shown(value) + ")");
        }
        return value.asLong();
    }

    /**
     * Jackson quotes the body's text ("Unrecognized token 'abc'"), cut where the token ends, so a redaction
     * of the whole secret would miss it: such quotes are elided, JSON's literals and single characters kept.
     */
    private static String withoutQuotedBody(String jacksonMessage) {
        String firstLine = jacksonMessage == null ? "" : jacksonMessage.lines().findFirst().orElse("");
        return QUOTED_BODY_TEXT.matcher(firstLine).replaceAll("'...'");
    }

    /**
     * A value of the answer as a message shows it: text is redacted before it is quoted (so that a secret the
     * upstream wrote JSON-escaped is still found), and objects and lists are only named, never quoted.
     */
    private String shown(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        if (node.isContainerNode()) {
            return node.isArray() ? "a list" : "an object";
        }
        return printable(node.isTextual() ? TextNode.valueOf(redact.apply(node.asText())).toString() : node.toString());
    }

    /** Keeps API-provided text to one short printable line, fit for a log. */
    private String printable(String text) {
        String clean = redact.apply(text).replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= MAX_MESSAGE_CHARS ? clean : clean.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    private static UpstreamException malformed(String message) {
        return new UpstreamException(FailureReason.MALFORMED, message);
    }
}
