package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.Http;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.Ports;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 end to end, with the real Debian {@code prometheus} and {@code prometheus-alertmanager} on loopback:
 * fake upstream -> exporter (in-process) -> Prometheus (scrapes every 1s, evaluates the shipped rules with every
 * {@code for:} shortened to 5s) -> Alertmanager (the shipped routing). Checks which alerts arrive at Alertmanager
 * and that every dashboard query returns data.
 */
class EndToEndIT {
    private static final Duration ALERT_BOUND = Duration.ofSeconds(120);
    private static final Pattern FOR_LINE = Pattern.compile("(?m)^(\\s+)for: \\S+$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();
    private Path prometheusLog;
    private Path alertmanagerLog;

    @AfterEach
    void stopEverything() throws Exception {
        try (fixture) {
            processes.close();
        }
    }

    // ------------------------------------------------------------------ the fake upstream

    /** Yesterday (24 hours) and today up to the current UTC hour, computed when the API answers. */
    private static List<DailyUsage> days(long currentHourPeak, long otherHours) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        List<HourUsage> yesterday = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            yesterday.add(new HourUsage(h, otherHours, otherHours * 3));
        }
        List<HourUsage> todays = new ArrayList<>();
        for (int h = 0; h <= now.getHour(); h++) {
            long max = h == now.getHour() ? currentHourPeak : otherHours;
            todays.add(new HourUsage(h, max, max * 3));
        }
        return List.of(new DailyUsage(today.minusDays(1), yesterday), new DailyUsage(today, todays));
    }

    private static Response answer(FakeCrcApi.Request request) {
        return switch (request.params().getOrDefault("api_key", "")) {
            case "key-full" -> Response.json(ApiAnswers.success(days(10, 6))); // capacity 10: 100 %
            case "key-quiet" -> Response.json(ApiAnswers.success(days(4, 2))); // capacity 40: 10 %
            default -> Response.json(ApiAnswers.error(401, "invalid api_key"));
        };
    }

    // ------------------------------------------------------------------ processes and HTTP

    private String logs() {
        return "\n--- prometheus log (last lines) ---\n" + ExternalProcesses.tail(prometheusLog, 30)
                + "\n--- alertmanager log (last lines) ---\n" + ExternalProcesses.tail(alertmanagerLog, 30);
    }

    private JsonNode getJson(String url) {
        HttpResponse<String> response = Http.getOrNull(url);
        if (response == null || response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " -> " + (response == null ? "unreachable" : response.statusCode() + " "
                    + response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + ": not JSON: " + response.body(), e);
        }
    }

    /** Polls every 500 ms (these are real servers) while the servers run; describes the last state and the logs on failure. */
    private <T> T await(Duration bound, String what, Supplier<T> probe, Predicate<T> done, Process... mustStayAlive) {
        return Poll.until(bound, Duration.ofMillis(500), what, () -> {
            ExternalProcesses.assertAlive(mustStayAlive);
            return probe.get();
        }, done, this::logs);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ the test

    @Test
    void alertsReachAlertmanagerAndEveryDashboardQueryHasData() throws Exception {
        long started = System.nanoTime();

        // fake upstream and exporter (UTC, real clock, short poll interval, no retries)
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi());
        upstream.behave(EndToEndIT::answer);
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneOffset.UTC, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 4, new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(200)),
                List.of(new AccountConfig("full", "key-full", new Secret("full-secret"), OptionalInt.of(10)),
                        new AccountConfig("quiet", "key-quiet", new Secret("quiet-secret"), OptionalInt.of(40)),
                        new AccountConfig("broken", "key-broken", new Secret("broken-secret"), OptionalInt.of(20))));
        Exporter exporter = fixture.start(config, Clock.systemUTC());

        // the shipped rules with every "for:" shortened to 5s
        String rules = Files.readString(MonitoringAssetsIT.RULES);
        Matcher forLines = FOR_LINE.matcher(rules);
        int shortened = 0;
        while (forLines.find()) {
            shortened++;
        }
        assertThat(shortened).as("`for:` lines rewritten = alerts").isEqualTo(MonitoringAssetsIT.alerts().size());
        Path rulesCopy = tmp.resolve("crc-exporter.rules.yml");
        Files.writeString(rulesCopy, FOR_LINE.matcher(rules).replaceAll("$1for: 5s"));
        ExternalProcesses.Result check = processes.run(Duration.ofSeconds(60), "promtool", "check", "rules", rulesCopy.toString());
        assertThat(check.exitCode()).as("promtool check rules on the shortened copy:%n%s", check.output()).isZero();

        // Alertmanager with the shipped routing; webhooks to a loopback port nobody listens on
        String amConfig = Files.readString(Path.of("deploy/alertmanager.yml"));
        String amConfigLocal = amConfig.replace("http://localhost:5001/", "http://127.0.0.1:" + Ports.free() + "/");
        assertThat(amConfigLocal).isNotEqualTo(amConfig);
        Path amConfigFile = tmp.resolve("alertmanager.yml");
        Files.writeString(amConfigFile, amConfigLocal);
        Files.createDirectories(tmp.resolve("am-data"));
        alertmanagerLog = tmp.resolve("alertmanager.log");
        ExternalProcesses.Server alertmanagerServer = processes.startServer(alertmanagerLog, Duration.ofSeconds(30),
                port -> List.of("prometheus-alertmanager", "--config.file=" + amConfigFile, "--storage.path=" + tmp.resolve("am-data"),
                        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="),
                port -> Http.ok("http://127.0.0.1:" + port + "/-/ready"));
        Process alertmanager = alertmanagerServer.process();
        int alertmanagerPort = alertmanagerServer.port();
        String am = "http://127.0.0.1:" + alertmanagerPort;

        // Prometheus scraping the exporter every second, alerting to that Alertmanager
        Path promConfig = tmp.resolve("prometheus.yml");
        Files.writeString(promConfig, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ['127.0.0.1:%d']
                scrape_configs:
                  - job_name: crc-exporter
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(rulesCopy, alertmanagerPort, exporter.port()));
        Files.createDirectories(tmp.resolve("prom-data"));
        prometheusLog = tmp.resolve("prometheus.log");
        ExternalProcesses.Server prometheusServer = processes.startServer(prometheusLog, Duration.ofSeconds(30),
                port -> List.of("prometheus", "--config.file=" + promConfig, "--storage.tsdb.path=" + tmp.resolve("prom-data"),
                        "--web.listen-address=127.0.0.1:" + port),
                port -> Http.ok("http://127.0.0.1:" + port + "/-/ready"));
        Process prometheus = prometheusServer.process();
        String prom = "http://127.0.0.1:" + prometheusServer.port();

        // alerts: CrcPortsSaturated for full, CrcApiFailing for broken
        JsonNode alerts = await(ALERT_BOUND, "CrcPortsSaturated{account=full} and CrcApiFailing{account=broken} in Alertmanager",
                () -> getJson(am + "/api/v2/alerts"),
                a -> has(a, "CrcPortsSaturated", "full", "critical") && has(a, "CrcApiFailing", "broken", "warning"),
                alertmanager, prometheus);
        long alertsAfter = System.nanoTime();

        // the shipped inhibit rule: CrcPortsSaturated silences CrcPortsNearlySaturated of the same account
        await(Duration.ofSeconds(60), "CrcPortsNearlySaturated{account=full} in Alertmanager, inhibited by CrcPortsSaturated",
                () -> getJson(am + "/api/v2/alerts"), a -> {
                    for (JsonNode alert : a) {
                        Map<String, String> l = labels(alert.path("labels"));
                        if ("CrcPortsNearlySaturated".equals(l.get("alertname")) && "full".equals(l.get("account"))) {
                            return "suppressed".equals(alert.path("status").path("state").asText())
                                    && !alert.path("status").path("inhibitedBy").isEmpty();
                        }
                    }
                    return false;
                }, alertmanager, prometheus);

        // nothing at all for quiet, neither in Alertmanager nor pending or firing in Prometheus
        assertThat(labelsOf(getJson(am + "/api/v2/alerts"))).as("Alertmanager alerts for quiet" + logs())
                .noneMatch(l -> "quiet".equals(l.get("account")));
        List<Map<String, String>> promAlerts = new ArrayList<>();
        for (JsonNode alert : getJson(prom + "/api/v1/alerts").path("data").path("alerts")) {
            promAlerts.add(labels(alert.path("labels")));
        }
        assertThat(promAlerts).as("Prometheus alerts").isNotEmpty().noneMatch(l -> "quiet".equals(l.get("account")));

        // every rule evaluates without errors
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode group : getJson(prom + "/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!"ok".equals(rule.path("health").asText())) {
                    unhealthy.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " " + rule.path("lastError"));
                }
            }
        }
        assertThat(unhealthy).as("rules that fail to evaluate").isEmpty();

        // every dashboard query returns data
        List<String> checked = checkDashboardQueries(prom);

        TreeSet<String> fired = new TreeSet<>();
        for (Map<String, String> l : labelsOf(getJson(am + "/api/v2/alerts"))) {
            fired.add(l.get("alertname") + "{account=" + l.get("account") + ",severity=" + l.get("severity") + "}");
        }
        System.out.printf("EndToEndIT: expected alerts in Alertmanager after %.1fs, whole test %.1fs; %d dashboard queries"
                        + " returned data; alerts in Alertmanager: %s%n",
                (alertsAfter - started) / 1e9, (System.nanoTime() - started) / 1e9, checked.size(), fired);
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<Map<String, String>> labelsOf(JsonNode alertmanagerAlerts) {
        List<Map<String, String>> all = new ArrayList<>();
        for (JsonNode alert : alertmanagerAlerts) {
            all.add(labels(alert.path("labels")));
        }
        return all;
    }

    private static boolean has(JsonNode alertmanagerAlerts, String alertname, String account, String severity) {
        return labelsOf(alertmanagerAlerts).stream().anyMatch(l -> alertname.equals(l.get("alertname"))
                && account.equals(l.get("account")) && severity.equals(l.get("severity")));
    }

    // ------------------------------------------------------------------ dashboard queries

    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");
    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{?[A-Za-z_]");

    /** Grafana's variables replaced by what Grafana would send for "All accounts" on a 1h range. */
    static String substitute(String expr) {
        return expr
                .replaceAll("\\$\\{account(:[a-z]+)?}|\\$account\\b", ".*")
                .replaceAll("\\$\\{datasource}|\\$datasource\\b", "")
                .replaceAll("\\$\\{?__rate_interval}?", "1m")
                .replaceAll("\\$\\{?__interval_ms}?", "60000")
                .replaceAll("\\$\\{?__interval}?", "1m")
                .replaceAll("\\$\\{?__range_ms}?", "3600000")
                .replaceAll("\\$\\{?__range_s}?", "3600")
                .replaceAll("\\$\\{?__range}?", "1h");
    }

    private List<String> checkDashboardQueries(String prom) throws IOException {
        JsonNode dashboard = MonitoringAssetsIT.dashboard();
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();

        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            Matcher labelValues = LABEL_VALUES.matcher(query.strip());
            assertThat(labelValues.matches()).as("variable %s: label_values(metric, label) query", query).isTrue();
            JsonNode values = getJson(prom + "/api/v1/label/" + labelValues.group(2) + "/values?match%5B%5D="
                    + encode(substitute(labelValues.group(1))));
            List<String> found = new ArrayList<>();
            values.path("data").forEach(v -> found.add(v.asText()));
            if (!found.containsAll(List.of("full", "quiet", "broken"))) {
                problems.add("variable " + variable.path("name").asText() + " (" + query + "): " + found);
            }
            checked.add(query);
        }

        long now = System.currentTimeMillis() / 1000;
        for (JsonNode panel : MonitoringAssetsIT.panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String raw = target.path("expr").asText("");
                if (raw.isBlank()) {
                    problems.add(panel.path("title").asText() + " " + target.path("refId").asText() + ": no expr");
                    continue;
                }
                String expr = substitute(raw);
                String where = panel.path("title").asText() + " " + target.path("refId").asText() + " `" + expr + "`";
                if (UNRESOLVED.matcher(expr).find()) {
                    problems.add(where + ": unresolved variable");
                    continue;
                }
                List<String> urls = new ArrayList<>(List.of(prom + "/api/v1/query?query=" + encode(expr)));
                if (target.path("range").asBoolean(false)) {
                    urls.add(prom + "/api/v1/query_range?query=" + encode(expr) + "&start=" + (now - 30) + "&end=" + now
                            + "&step=1");
                }
                for (String url : urls) {
                    HttpResponse<String> response = Http.getOrNull(url);
                    JsonNode body = response == null ? null : JSON.readTree(response.body());
                    if (body == null || !"success".equals(body.path("status").asText())) {
                        problems.add(where + ": " + (response == null ? "unreachable" : response.body()));
                    } else if (body.path("data").path("result").isEmpty()) {
                        problems.add(where + ": empty result" + (url.contains("query_range") ? " (range query)" : ""));
                    }
                }
                checked.add(expr);
            }
        }
        assertThat(problems).as("dashboard queries without data" + logs()).isEmpty();
        return checked;
    }
}
