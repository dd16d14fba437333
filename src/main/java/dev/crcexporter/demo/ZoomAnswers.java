package dev.crcexporter.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.LocalDate;
import java.util.List;

/** Writes answers in the shapes Zoom documents; used by the simulated Zoom (and by tests' fakes). */
public final class ZoomAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a day's {@code date_time} and an hour are written: Zoom's documentation shows both forms of each. */
    public enum Style {
        /** {@code "2026-11-26"} and {@code "07"}. */
        DATE_AND_PADDED_HOURS,
        /** {@code "2026-11-26T00:00:00Z"} and {@code "7"}. */
        DATE_TIME_AND_PLAIN_HOURS
    }

    private ZoomAnswers() {}

    /** "Get CRC port usage": {@code {from, to, crc_ports_usage: [...]}}, no {@code status} field. */
    public static String usage(LocalDate from, LocalDate to, List<DailyUsage> days, Style style) {
        ObjectNode root = JSON.createObjectNode().put("from", from.toString()).put("to", to.toString());
        ArrayNode usage = root.putArray("crc_ports_usage");
        for (DailyUsage day : days) {
            ObjectNode dayNode = usage.addObject().put("date_time", style == Style.DATE_AND_PADDED_HOURS
                    ? day.date().toString() : day.date() + "T00:00:00Z");
            ArrayNode hours = dayNode.putArray("crc_ports_hour_usage");
            for (HourUsage hour : day.hours()) {
                hours.addObject()
                        .put("hour",
                                style == Style.DATE_AND_PADDED_HOURS ? hour.label() : Integer.toString(hour.hour()))
                        .put("max_usage", hour.maxUsage())
                        .put("total_usage", hour.totalUsage());
            }
        }
        return root.toString();
    }

    /** The token endpoint's answer. */
    public static String token(String accessToken, long expiresInSeconds, String scope) {
        return JSON.createObjectNode().put("access_token", accessToken).put("token_type", "bearer")
                .put("expires_in", expiresInSeconds).put("scope", scope).toString();
    }

    /** The token endpoint's refusal: {@code {"reason": "...", "error": "invalid_client"}}. */
    public static String tokenError(String error, String reason) {
        return JSON.createObjectNode().put("reason", reason).put("error", error).toString();
    }

    /** An API error: {@code {"code": 124, "message": "Invalid access token."}}. */
    public static String error(int code, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message).toString();
    }
}
