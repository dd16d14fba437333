package dev.crcexporter.upstream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What the answers of both sources share, read the same way for both: strict JSON; the list of days, each a
 * {@code date_time} and its {@code crc_ports_hour_usage}; the checks of every hour; and how a message quotes the
 * answer (redacted before it is cut, objects and lists named, never quoted). The sources differ only in how they
 * write a date and an hour ({@link Dialect}).
 *
 * <p>Why a walk over the tree rather than records bound by Jackson (issue 25): bound strictly (no coercion of scalars,
 * no float as an integer, missing or null properties failing, unknown ones ignored), records refuse the same answers,
 * but Jackson's messages name Java types and quote the body unredacted ({@code Cannot coerce String value ("3") to
 * `long` value}). The messages that UsageParserTest, ZoomUsageParserTest and UpstreamAnswersIT pin (path, rule,
 * redacted value) would need this tree again to quote the value, and the checks binding cannot state (each source's
 * hours and dates, ranges, repeats) would stay: no shorter, and two ways instead of one.
 */
final class UsageJson {
    /** Far above any real port count or hourly connection count; larger numbers mean a broken answer. */
    static final long MAX_PLAUSIBLE_USAGE = 1_000_000;
    private static final int MAX_MESSAGE_CHARS = 200;
    private static final Pattern QUOTED_BODY_TEXT = Pattern.compile("'(?!(?:null|true|false)')[^']{2,}'");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** Strict: a repeated key or anything after the JSON value (but white space) makes the answer malformed. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** How a source writes dates and hours. */
    enum Dialect {
        /** The seed API: {@code "2026-11-26"} and {@code "00"}..{@code "23"}. */
        SYSTEC(Pattern.compile("[01][0-9]|2[0-3]"), "\"00\"..\"23\"", "a yyyy-MM-dd string"),
        /**
         * Zoom: {@code date_time} is documented as a date-time and shown both as {@code "2019-08-05"} and as
         * {@code "2019-05-01T15:13:39.424Z"}; {@code hour} as "23 for 11 pm", so {@code "7"} as well as {@code "07"}.
         */
        ZOOM(Pattern.compile("[01]?[0-9]|2[0-3]"), "\"0\"..\"23\" or \"00\"..\"23\"",
                "a yyyy-MM-dd date or a date-time that starts with one");

        private final Pattern hour;
        private final String hours;
        private final String dates;

        Dialect(Pattern hour, String hours, String dates) {
            this.hour = hour;
            this.hours = hours;
            this.dates = dates;
        }
    }

    /** Applied to every piece of answer text a message quotes, before it is shortened. */
    private final UnaryOperator<String> redact;

    UsageJson(UnaryOperator<String> redact) {
        this.redact = redact;
    }

    /** The body as a JSON object. */
    JsonNode object(byte[] body) throws UpstreamException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw malformed("the body is not valid JSON ("
                    + printable(withoutQuotedBody(e.getOriginalMessage())) + ")");
        } catch (java.io.IOException e) {
            throw malformed("the body cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            throw malformed("the body is not a JSON object");
        }
        return root;
    }

    /** Every day of the list {@code where} (named so in messages), in the answer's order; a date twice is malformed. */
    List<DailyUsage> days(JsonNode list, String where, Dialect dialect) throws UpstreamException {
        if (list == null || !list.isArray()) {
            throw malformed("\"" + where + "\" is missing or not a list");
        }
        List<DailyUsage> days = new ArrayList<>(list.size());
        Set<LocalDate> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            DailyUsage day = day(list.get(i), where + "[" + i + "]", dialect);
            if (!seen.add(day.date())) {
                throw malformed(where + "[" + i + "].date_time " + day.date() + " appears twice");
            }
            days.add(day);
        }
        return days;
    }

    private DailyUsage day(JsonNode node, String where, Dialect dialect) throws UpstreamException {
        if (!node.isObject()) {
            throw malformed(where + " is not an object");
        }
        LocalDate date = date(node.get("date_time"), where + ".date_time", dialect);
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
            if (hourText == null || !hourText.isTextual() || !dialect.hour.matcher(hourText.asText()).matches()) {
                throw malformed(at + ".hour must be a string " + dialect.hours + " (got " + shown(hourText) + ")");
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

    /**
     * The calendar date as written: a date-time's first 10 characters, never moved to another zone (the API labels
     * its days in its own zone; converting "2026-11-26T00:00:00Z" to Berlin would not change what day it counts).
     */
    private LocalDate date(JsonNode node, String where, Dialect dialect) throws UpstreamException {
        String text = node != null && node.isTextual() ? node.asText() : "";
        boolean shape = dialect == Dialect.SYSTEC ? DATE.matcher(text).matches()
                : DATE.matcher(text).matches() || isDateTime(text);
        if (!shape) {
            throw malformed(where + " must be " + dialect.dates + " (got " + shown(node) + ")");
        }
        try {
            return LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeParseException e) {
            throw malformed(where + " is not a calendar date (got " + shown(node) + ")");
        }
    }

    private static boolean isDateTime(String text) {
        if (text.length() <= 10 || !DATE.matcher(text.substring(0, 10)).matches()) {
            return false;
        }
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
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
    String shown(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        if (node.isContainerNode()) {
            return node.isArray() ? "a list" : "an object";
        }
        return printable(node.isTextual() ? TextNode.valueOf(redact.apply(node.asText())).toString() : node.toString());
    }

    /** Keeps answer text to one short printable line, fit for a log. */
    String printable(String text) {
        String clean = HttpAnswers.printable(redact.apply(text));
        return clean.length() <= MAX_MESSAGE_CHARS ? clean : clean.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    /**
     * The text fields {@code names} of an error answer, each printable or empty when absent; empty when the body is not
     * a JSON object (the caller then shows the body's start).
     */
    Optional<List<String>> errorFields(byte[] body, String... names) {
        try {
            JsonNode root = object(body);
            List<String> values = new ArrayList<>(names.length);
            for (String name : names) {
                values.add(text(root, name));
            }
            return Optional.of(values);
        } catch (UpstreamException notJson) {
            return Optional.empty();
        }
    }

    /** A text field of an error answer, printable, or empty when absent or not text. */
    String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isValueNode() && !node.isNull() ? printable(node.asText()) : "";
    }

    static UpstreamException malformed(String message) {
        return new UpstreamException(FailureReason.MALFORMED, message);
    }
}
