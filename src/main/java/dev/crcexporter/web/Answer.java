package dev.crcexporter.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the telemetry path answers, before it is sent.
 *
 * @param status  HTTP status
 * @param headers response headers
 * @param length  the body's length, or -1 when it is rendered while sent (then without Content-Length)
 * @param body    the body; not sent for HEAD
 * @param done    runs once the body is sent, the connection failed, or (HEAD) the headers are sent
 */
record Answer(int status, Map<String, String> headers, long length, Pieces body, Runnable done) {
    Answer {
        headers = Map.copyOf(headers);
    }

    /** 503 with Retry-After: what a scraper that must not be overloaded answers. */
    static Answer busy(String why) {
        byte[] text = ("Busy: " + why + "; retry in a second.\n").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("Retry-After", "1");
        return new Answer(503, headers, text.length, Pieces.of(text), () -> {});
    }
}
