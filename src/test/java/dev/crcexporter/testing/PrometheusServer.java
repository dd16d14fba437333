package dev.crcexporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The real Prometheus (Debian's {@code prometheus}) on a free loopback port, with a configuration the test wrote,
 * stopped with its {@link ExternalProcesses}; and its HTTP API as JSON: queries, label values, alerts, rules.
 */
public final class PrometheusServer {
    /** Opening a TSDB of backfilled blocks takes a while on a loaded machine. */
    private static final Duration READY_BOUND = Duration.ofSeconds(60);

    private final ExternalProcesses.Server server;
    private final Path log;

    private PrometheusServer(ExternalProcesses.Server server, Path log) {
        this.server = server;
        this.log = log;
    }

    /**
     * Starts {@code prometheus} on {@code config} and the TSDB in {@code data}, with {@code flags}, and waits until
     * it is ready.
     */
    public static PrometheusServer start(ExternalProcesses processes, Path config, Path data, Path log, String... flags)
            throws IOException {
        ExternalProcesses.Server server = processes.startServer(log, READY_BOUND, port -> {
            List<String> command = new ArrayList<>(List.of("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + data));
            command.addAll(List.of(flags));
            command.add("--web.listen-address=127.0.0.1:" + port);
            return command;
        }, port -> Http.ok("http://127.0.0.1:" + port + "/-/ready"));
        return new PrometheusServer(server, log);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public Process process() {
        return server.process();
    }

    /** The last lines of its log, headed by the log's name, for failure messages. */
    public String logTail() {
        return ExternalProcesses.logTail(log);
    }

    /** GET {@code pathAndQuery} (from "/api/v1/..."): the JSON answer, which must be 200 and status success. */
    public JsonNode get(String pathAndQuery) {
        JsonNode body = Http.json(url() + pathAndQuery);
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError("GET " + url() + pathAndQuery + ": " + body);
        }
        return body;
    }

    /** The result of an instant query now (data.result). */
    public JsonNode query(String expr) {
        return get("/api/v1/query?query=" + encode(expr)).path("data").path("result");
    }

    /** The result of an instant query at {@code epochSecond}. */
    public JsonNode queryAt(String expr, long epochSecond) {
        return get("/api/v1/query?query=" + encode(expr) + "&time=" + epochSecond).path("data").path("result");
    }

    /** The result of a range query from {@code start} to {@code end} (epoch seconds) every {@code stepSeconds}. */
    public JsonNode queryRange(String expr, long start, long end, long stepSeconds) {
        return get("/api/v1/query_range?query=" + encode(expr) + "&start=" + start + "&end=" + end + "&step="
                + stepSeconds).path("data").path("result");
    }

    /** An instant query now as label set (in Prometheus' order, as text) -> value. */
    public Map<String, Double> instant(String expr) {
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : query(expr)) {
            values.put(labels(sample.path("metric")).toString(), sample.path("value").path(1).asDouble());
        }
        return values;
    }

    /** The values of {@code label} on the series that {@code match} selects. */
    public List<String> labelValues(String label, String match) {
        List<String> values = new ArrayList<>();
        get("/api/v1/label/" + label + "/values?match%5B%5D=" + encode(match)).path("data")
                .forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The labels of every pending or firing alert. */
    public List<Map<String, String>> alerts() {
        List<Map<String, String>> alerts = new ArrayList<>();
        for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
            alerts.add(labels(alert.path("labels")));
        }
        return alerts;
    }

    /** Every rule whose last evaluation failed: its name, health and error. */
    public List<String> unhealthyRules() {
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode group : get("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!"ok".equals(rule.path("health").asText())) {
                    unhealthy.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " "
                            + rule.path("lastError"));
                }
            }
        }
        return unhealthy;
    }

    /** A JSON object of labels (Prometheus' or Alertmanager's) as name -> value, in its order. */
    public static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
