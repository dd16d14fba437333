package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.demo.ZoomAnswers;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.Http;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.Ports;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.Optional;
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
 * End to end, with the real Debian {@code prometheus} and {@code prometheus-alertmanager} on loopback: fake upstream
 * -> an HA pair of exporters (in-process, same accounts) -> Prometheus scraping both as two instances (every 1s,
 * the shipped rules with every {@code for:} shortened to 5s) -> Alertmanager (the shipped routing and inhibitions).
 * A second Prometheus scrapes only one exporter. Checks which alerts arrive at Alertmanager, that every dashboard
 * query returns data, and that each figure is the same with the pair as with a single exporter (nothing doubled).
 */
class EndToEndIT {
    private static final Duration ALERT_BOUND = Duration.ofSeconds(120);
    private static final Pattern FOR_LINE = Pattern.compile("(?m)^(\\s+)for: \\S+$");
    /** The hourly capacity-trend group, evaluated every second here so that its rules report their health. */
    private static final Pattern GROUP_INTERVAL_LINE = Pattern.compile("(?m)^(\\s+)interval: 1h$");
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
            case "key-nocap" -> Response.json(ApiAnswers.success(days(30, 2))); // no capacity
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

    /** Prometheus scraping {@code exporterPorts} as job crc-exporter, with the rules, alerting to {@code alertmanagerPort} if > 0. */
    private ExternalProcesses.Server prometheus(String name, Path rules, int alertmanagerPort, int... exporterPorts)
            throws IOException {
        StringBuilder targets = new StringBuilder();
        for (int port : exporterPorts) {
            targets.append(targets.length() == 0 ? "" : ", ").append("'127.0.0.1:").append(port).append("'");
        }
        String alerting = alertmanagerPort <= 0 ? "" : """
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ['127.0.0.1:%d']
                """.formatted(alertmanagerPort);
        Path config = tmp.resolve(name + ".yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                %sscrape_configs:
                  - job_name: crc-exporter
                    scrape_timeout: 1s
                    static_configs:
                      - targets: [%s]
                """.formatted(rules, alerting, targets));
        Path data = Files.createDirectories(tmp.resolve(name + "-data"));
        Path log = tmp.resolve(name + ".log");
        if (prometheusLog == null) {
            prometheusLog = log;
        }
        return processes.startServer(log, Duration.ofSeconds(30),
                port -> List.of("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data,
                        "--web.listen-address=127.0.0.1:" + port),
                port -> Http.ok("http://127.0.0.1:" + port + "/-/ready"));
    }

    @Test
    void alertsReachAlertmanagerOnceAndEveryDashboardFigureIsTheSameWithAnHaPair() throws Exception {
        long started = System.nanoTime();

        // fake upstream and an HA pair of exporters polling it (UTC, real clock, short poll interval, no retries)
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi());
        upstream.behave(EndToEndIT::answer);
        // and a fake Zoom whose account "zoomfull" is at its 8 ports (its tokens live an hour of the real clock)
        FakeZoomApi zoom = fixture.closeLater(new FakeZoomApi(Clock.systemUTC()));
        zoom.account("acct-zoomfull", "client-zoomfull", "zoomfull-secret", List.of());
        zoom.behaveMetrics(request -> request.accountId() == null ? zoom.documentedMetrics(request)
                : FakeZoomApi.json(200, ZoomAnswers.usage(LocalDate.parse(request.query().get("from")),
                        LocalDate.parse(request.query().get("to")), days(8, 3), ZoomAnswers.Style.DATE_TIME_AND_PLAIN_HOURS)));
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneOffset.UTC, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 4, new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(200)),
                List.of(new AccountConfig("full", "key-full", new Secret("full-secret"), OptionalInt.of(10)),
                        new AccountConfig("quiet", "key-quiet", new Secret("quiet-secret"), OptionalInt.of(40)),
                        new AccountConfig("broken", "key-broken", new Secret("broken-secret"), OptionalInt.of(20)),
                        new AccountConfig("nocap", "key-nocap", new Secret("nocap-secret"), OptionalInt.empty()),
                        new AccountConfig("zoomfull", new Credentials.Zoom("acct-zoomfull", "client-zoomfull",
                                new Secret("zoomfull-secret")), OptionalInt.of(8), Optional.empty())),
                zoom.urls());
        Exporter exporterA = fixture.start(config, Clock.systemUTC());
        Exporter exporterB = fixture.start(config, Clock.systemUTC());

        // the shipped rules with every "for:" shortened to 5s and the hourly group evaluated every second
        String rules = Files.readString(MonitoringAssetsIT.RULES);
        Matcher forLines = FOR_LINE.matcher(rules);
        int shortened = 0;
        while (forLines.find()) {
            shortened++;
        }
        assertThat(shortened).as("`for:` lines rewritten = alerts").isEqualTo(MonitoringAssetsIT.alerts().size());
        String fast = FOR_LINE.matcher(rules).replaceAll("$1for: 5s");
        assertThat(GROUP_INTERVAL_LINE.matcher(fast).results().count()).as("hourly groups").isEqualTo(1);
        fast = GROUP_INTERVAL_LINE.matcher(fast).replaceAll("$1interval: 1s");
        Path rulesCopy = tmp.resolve("crc-exporter.rules.yml");
        Files.writeString(rulesCopy, fast);
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
        String am = "http://127.0.0.1:" + alertmanagerServer.port();

        // Prometheus scraping the pair as two instances and alerting; another scraping exporter A alone
        ExternalProcesses.Server haServer = prometheus("prometheus-ha", rulesCopy, alertmanagerServer.port(),
                exporterA.port(), exporterB.port());
        ExternalProcesses.Server singleServer = prometheus("prometheus-single", rulesCopy, 0, exporterA.port());
        Process prometheus = haServer.process();
        String prom = "http://127.0.0.1:" + haServer.port();
        String single = "http://127.0.0.1:" + singleServer.port();

        // alerts: CrcPortsSaturated for full and for the Zoom account, CrcApiFailing for broken, CrcCapacityNotConfigured for nocap
        JsonNode alerts = await(ALERT_BOUND, "CrcPortsSaturated{account=full}, CrcPortsSaturated{account=zoomfull},"
                        + " CrcApiFailing{account=broken} and CrcCapacityNotConfigured{account=nocap} in Alertmanager",
                () -> getJson(am + "/api/v2/alerts"),
                a -> has(a, "CrcPortsSaturated", "full", "critical") && has(a, "CrcPortsSaturated", "zoomfull", "critical")
                        && has(a, "CrcApiFailing", "broken", "warning")
                        && has(a, "CrcCapacityNotConfigured", "nocap", "info"),
                alertmanager, prometheus);
        long alertsAfter = System.nanoTime();

        // the pair raises one saturation alert per account, not one per exporter; every alert is service="crc"
        List<Map<String, String>> saturated = labelsOf(alerts).stream()
                .filter(l -> "CrcPortsSaturated".equals(l.get("alertname"))).toList();
        assertThat(saturated).as("CrcPortsSaturated in Alertmanager").extracting(l -> l.get("account"))
                .containsExactlyInAnyOrder("full", "zoomfull");
        assertThat(saturated).allSatisfy(l -> assertThat(l).containsOnlyKeys("alertname", "account", "severity", "service"));
        assertThat(labelsOf(alerts)).as("every alert is routed by service=crc").allMatch(l -> "crc".equals(l.get("service")));
        assertThat(labelsOf(alerts)).as("no saturation alert without a capacity").noneMatch(l -> "nocap".equals(l.get("account"))
                && l.get("alertname").startsWith("CrcPorts"));

        // the shipped inhibit rule: CrcPortsSaturated silences CrcPortsNearlySaturated of the same account
        await(Duration.ofSeconds(60), "CrcPortsNearlySaturated{account=full} in Alertmanager, inhibited by CrcPortsSaturated",
                () -> getJson(am + "/api/v2/alerts"), a -> inhibited(a, "CrcPortsNearlySaturated", "full"),
                alertmanager, prometheus);

        // CrcDataStale needs 20 minutes of failures: posted by hand. A failing API explains stale data of the same
        // account (inhibited); stale data of another account is not.
        postAlerts(am, "CrcDataStale", "broken", "CrcDataStale", "quiet");
        await(Duration.ofSeconds(60), "CrcDataStale{account=broken} inhibited by CrcApiFailing, CrcDataStale{account=quiet} active",
                () -> getJson(am + "/api/v2/alerts"), a -> inhibited(a, "CrcDataStale", "broken") && active(a, "CrcDataStale", "quiet"),
                alertmanager, prometheus);

        // nothing at all for quiet from Prometheus, neither in Alertmanager nor pending or firing
        assertThat(labelsOf(getJson(am + "/api/v2/alerts"))).as("Alertmanager alerts for quiet" + logs())
                .noneMatch(l -> "quiet".equals(l.get("account")) && !"CrcDataStale".equals(l.get("alertname")));
        List<Map<String, String>> promAlerts = new ArrayList<>();
        for (JsonNode alert : getJson(prom + "/api/v1/alerts").path("data").path("alerts")) {
            promAlerts.add(labels(alert.path("labels")));
        }
        assertThat(promAlerts).as("Prometheus alerts").isNotEmpty().noneMatch(l -> "quiet".equals(l.get("account")));

        // every rule evaluates without errors, on both servers
        for (String server : List.of(prom, single)) {
            List<String> unhealthy = new ArrayList<>();
            for (JsonNode group : getJson(server + "/api/v1/rules").path("data").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (!"ok".equals(rule.path("health").asText())) {
                        unhealthy.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " " + rule.path("lastError"));
                    }
                }
            }
            assertThat(unhealthy).as("rules that fail to evaluate on " + server).isEmpty();
        }

        // every dashboard query returns data, and each figure is the same from the pair as from one exporter
        List<String> checked = checkDashboardQueries(prom, single);

        TreeSet<String> fired = new TreeSet<>();
        for (Map<String, String> l : labelsOf(getJson(am + "/api/v2/alerts"))) {
            fired.add(l.get("alertname") + "{account=" + l.get("account") + ",severity=" + l.get("severity") + "}");
        }
        System.out.printf("EndToEndIT: expected alerts in Alertmanager after %.1fs, whole test %.1fs; %d dashboard queries"
                        + " returned data, the same from the HA pair as from one exporter; alerts in Alertmanager: %s%n",
                (alertsAfter - started) / 1e9, (System.nanoTime() - started) / 1e9, checked.size(), fired);
    }

    /** Posts alerts to Alertmanager as Prometheus would: pairs of alertname and account, warning, service crc. */
    private static void postAlerts(String am, String... namesAndAccounts) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < namesAndAccounts.length; i += 2) {
            body.append(i == 0 ? "" : ",").append("{\"labels\":{\"alertname\":\"").append(namesAndAccounts[i])
                    .append("\",\"account\":\"").append(namesAndAccounts[i + 1])
                    .append("\",\"severity\":\"warning\",\"service\":\"crc\",\"instance\":\"test\"}}");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST alerts: " + response.body()).isEqualTo(200);
    }

    private static JsonNode find(JsonNode alertmanagerAlerts, String alertname, String account) {
        for (JsonNode alert : alertmanagerAlerts) {
            Map<String, String> l = labels(alert.path("labels"));
            if (alertname.equals(l.get("alertname")) && account.equals(l.get("account"))) {
                return alert;
            }
        }
        return null;
    }

    private static boolean inhibited(JsonNode alertmanagerAlerts, String alertname, String account) {
        JsonNode alert = find(alertmanagerAlerts, alertname, account);
        return alert != null && "suppressed".equals(alert.path("status").path("state").asText())
                && !alert.path("status").path("inhibitedBy").isEmpty();
    }

    private static boolean active(JsonNode alertmanagerAlerts, String alertname, String account) {
        JsonNode alert = find(alertmanagerAlerts, alertname, account);
        return alert != null && "active".equals(alert.path("status").path("state").asText());
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
                .replaceAll("\\$\\{source(:[a-z]+)?}|\\$source\\b", ".*")
                .replaceAll("\\$\\{datasource}|\\$datasource\\b", "")
                .replaceAll("\\$\\{?__rate_interval}?", "1m")
                .replaceAll("\\$\\{?__interval_ms}?", "60000")
                .replaceAll("\\$\\{?__interval}?", "1m")
                .replaceAll("\\$\\{?__range_ms}?", "3600000")
                .replaceAll("\\$\\{?__range_s}?", "3600")
                .replaceAll("\\$\\{?__range}?", "1h");
    }

    /** Expressions whose figures depend on time or on the exporter itself, not only on the upstream data. */
    private static final Pattern NOT_DATA = Pattern.compile("time\\(\\)|_poll_|build_info|\\bup\\{|ALERTS|last_success");

    /** Every query of the dashboard: variables, panel targets and annotations. */
    private record Query(String where, String expr, boolean range) {}

    private static List<Query> dashboardQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : DashboardIT.panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("title").asText() + " " + target.path("refId").asText(),
                        target.path("expr").asText(""), target.path("range").asBoolean(false)));
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            queries.add(new Query("annotation " + annotation.path("name").asText(), annotation.path("expr").asText(""), true));
        }
        return queries;
    }

    /** label set -> value of an instant query, or an error text. */
    private static Map<String, Double> instant(String server, String expr) throws IOException {
        HttpResponse<String> response = Http.getOrNull(server + "/api/v1/query?query=" + encode(expr));
        JsonNode body = response == null ? null : JSON.readTree(response.body());
        if (body == null || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("`" + expr + "` on " + server + ": " + (response == null ? "unreachable" : response.body()));
        }
        Map<String, Double> values = new java.util.TreeMap<>();
        for (JsonNode sample : body.path("data").path("result")) {
            values.put(labels(sample.path("metric")).toString(), sample.path("value").path(1).asDouble());
        }
        return values;
    }

    private List<String> checkDashboardQueries(String prom, String single) throws IOException {
        JsonNode dashboard = DashboardIT.dashboard();
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
            List<String> expected = variable.path("name").asText().equals("source") ? List.of("systec", "zoom")
                    : List.of("full", "quiet", "broken", "nocap", "zoomfull");
            if (!found.containsAll(expected)) {
                problems.add("variable " + variable.path("name").asText() + " (" + query + "): " + found);
            }
            checked.add(query);
        }

        List<Query> compared = new ArrayList<>();
        for (Query query : dashboardQueries(dashboard)) {
            if (query.expr().isBlank()) {
                problems.add(query.where() + ": no expr");
                continue;
            }
            String expr = substitute(query.expr());
            String where = query.where() + " `" + expr + "`";
            if (UNRESOLVED.matcher(expr).find()) {
                problems.add(where + ": unresolved variable");
                continue;
            }
            try {
                if (instant(prom, expr).isEmpty()) {
                    problems.add(where + ": empty result");
                }
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
            if (query.range()) {
                // Up to a second after the instant query above, so a series that has just appeared (a firing alert) is in range.
                long end = System.currentTimeMillis() / 1000 + 1;
                HttpResponse<String> response = Http.getOrNull(prom + "/api/v1/query_range?query=" + encode(expr) + "&start="
                        + (end - 30) + "&end=" + end + "&step=1");
                JsonNode body = response == null ? null : JSON.readTree(response.body());
                if (body == null || !"success".equals(body.path("status").asText())) {
                    problems.add(where + ": " + (response == null ? "unreachable" : response.body()));
                } else if (body.path("data").path("result").isEmpty()) {
                    problems.add(where + ": empty result (range query)");
                }
            }
            if (!NOT_DATA.matcher(expr).find()) {
                compared.add(new Query(query.where(), expr, false));
            }
            checked.add(expr);
        }
        assertThat(problems).as("dashboard queries without data" + logs()).isEmpty();

        // Figures from the upstream data: the pair must show exactly what one exporter shows (a sum over instances
        // would double them). Both servers may be a scrape apart: wait until they agree.
        assertThat(compared).as("queries compared").hasSizeGreaterThanOrEqualTo(10);
        for (Query query : compared) {
            await(Duration.ofSeconds(30), query.where() + " `" + query.expr() + "`: same figures from the pair as from one exporter",
                    () -> {
                        try {
                            return List.of(instant(prom, query.expr()), instant(single, query.expr()));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }, both -> both.get(0).equals(both.get(1)));
        }
        return checked;
    }
}
