package dev.crcexporter.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.util.List;

/** Writes answers in the API's documented JSON shape; used by the simulated API (and by tests' fakes). */
public final class ApiAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiAnswers() {}

    public static String success(List<DailyUsage> days) {
        ObjectNode root = JSON.createObjectNode().put("status", 200).put("message", "OK");
        ArrayNode data = root.putArray("data");
        for (DailyUsage day : days) {
            ObjectNode dayNode = data.addObject().put("date_time", day.date().toString());
            ArrayNode hours = dayNode.putArray("crc_ports_hour_usage");
            for (HourUsage hour : day.hours()) {
                hours.addObject()
                        .put("hour", hour.label())
                        .put("max_usage", hour.maxUsage())
                        .put("total_usage", hour.totalUsage());
            }
        }
        return root.toString();
    }

    /** An API-level error: HTTP 200 with a non-200 {@code status} and the reason in {@code message}. */
    public static String error(int status, String message) {
        return JSON.createObjectNode().put("status", status).put("message", message).toString();
    }
}
