package dev.crcexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real Alertmanager (Debian's {@code prometheus-alertmanager}) on a free loopback port, alone (no cluster), with a
 * configuration the test wrote, stopped with its {@link ExternalProcesses}; alerts are posted to it and read back.
 */
public final class AlertmanagerServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExternalProcesses.Server server;
    private final Path log;

    private AlertmanagerServer(ExternalProcesses.Server server, Path log) {
        this.server = server;
        this.log = log;
    }

    /**
     * Starts {@code prometheus-alertmanager} on {@code config}, keeping its state in {@code storage}, and waits until
     * it is ready.
     */
    public static AlertmanagerServer start(ExternalProcesses processes, Path config, Path storage, Path log)
            throws IOException {
        ExternalProcesses.Server server = processes.startServer(log, Duration.ofSeconds(30),
                port -> List.of("prometheus-alertmanager", "--config.file=" + config, "--storage.path=" + storage,
                        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="),
                port -> Http.ok("http://127.0.0.1:" + port + "/-/ready"));
        return new AlertmanagerServer(server, log);
    }

    public int port() {
        return server.port();
    }

    public Process process() {
        return server.process();
    }

    /** The last lines of its log, headed by the log's name, for failure messages. */
    public String logTail() {
        return ExternalProcesses.logTail(log);
    }

    /** Every alert it holds, active, inhibited or silenced. */
    public Alerts alerts() {
        return new Alerts(Http.json("http://127.0.0.1:" + port() + "/api/v2/alerts"));
    }

    /** Posts one alert for each label set, as Prometheus would; fails unless Alertmanager takes them. */
    @SafeVarargs
    public final void post(Map<String, String>... labelSets) throws IOException, InterruptedException {
        List<Map<String, Map<String, String>>> alerts = new ArrayList<>();
        for (Map<String, String> labels : labelSets) {
            alerts.add(Map.of("labels", labels));
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port() + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(alerts)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST alerts: " + response.body()).isEqualTo(200);
    }

    /** Alertmanager's list of alerts (GET /api/v2/alerts), looked up by alert name and account. */
    public record Alerts(JsonNode list) {
        /** The labels of every alert. */
        public List<Map<String, String>> labels() {
            List<Map<String, String>> all = new ArrayList<>();
            for (JsonNode alert : list) {
                all.add(PrometheusServer.labels(alert.path("labels")));
            }
            return all;
        }

        public boolean has(String alertname, String account, String severity) {
            return labels().stream().anyMatch(l -> alertname.equals(l.get("alertname"))
                    && account.equals(l.get("account")) && severity.equals(l.get("severity")));
        }

        /** Suppressed by an inhibit rule (not by a silence). */
        public boolean inhibited(String alertname, String account) {
            JsonNode alert = find(alertname, account);
            return alert != null && "suppressed".equals(alert.path("status").path("state").asText())
                    && !alert.path("status").path("inhibitedBy").isEmpty();
        }

        public boolean active(String alertname, String account) {
            JsonNode alert = find(alertname, account);
            return alert != null && "active".equals(alert.path("status").path("state").asText());
        }

        private JsonNode find(String alertname, String account) {
            for (JsonNode alert : list) {
                Map<String, String> l = PrometheusServer.labels(alert.path("labels"));
                if (alertname.equals(l.get("alertname")) && account.equals(l.get("account"))) {
                    return alert;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return list.toString();
        }
    }
}
