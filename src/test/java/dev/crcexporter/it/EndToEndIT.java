package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.demo.ZoomAnswers;
import dev.crcexporter.testing.AlertmanagerServer;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, with the real Debian {@code prometheus} and {@code prometheus-alertmanager} on loopback: fake upstream
 * -> an HA pair of exporters (in-process, same accounts) -> Prometheus scraping both as two instances (every 1s,
 * the shipped rules with every {@code for:} shortened to 5s) -> Alertmanager (the shipped routing and inhibitions).
 * A second Prometheus scrapes only one exporter ({@link AlertingStack}). Checks which alerts arrive at Alertmanager,
 * that every dashboard query returns data, and that each figure is the same with the pair as with a single exporter
 * (nothing doubled).
 */
class EndToEndIT {
    private static final Duration ALERT_BOUND = Duration.ofSeconds(120);
    private static final List<String> ACCOUNTS = List.of("full", "quiet", "broken", "nocap", "zoomfull");

    @TempDir
    Path tmp;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();

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

    /** The accounts of {@link #ACCOUNTS}, polled with the real clock in UTC, every 2s, with no retries. */
    private ExporterConfig config() throws IOException {
        // fake upstream: full is saturated, quiet is not, broken fails, nocap has no capacity
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi());
        upstream.behave(EndToEndIT::answer);
        // and a fake Zoom whose account "zoomfull" is at its 8 ports (its tokens live an hour of the real clock)
        FakeZoomApi zoom = fixture.closeLater(new FakeZoomApi(Clock.systemUTC()));
        zoom.account("acct-zoomfull", "client-zoomfull", "zoomfull-secret", List.of());
        zoom.behaveMetrics(request -> request.accountId() == null ? zoom.documentedMetrics(request)
                : FakeZoomApi.json(200, ZoomAnswers.usage(LocalDate.parse(request.query().get("from")),
                        LocalDate.parse(request.query().get("to")), days(8, 3),
                        ZoomAnswers.Style.DATE_TIME_AND_PLAIN_HOURS)));
        return new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneOffset.UTC, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 4, new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(200)),
                List.of(new AccountConfig("full", "key-full", new Secret("full-secret"), OptionalInt.of(10)),
                        new AccountConfig("quiet", "key-quiet", new Secret("quiet-secret"), OptionalInt.of(40)),
                        new AccountConfig("broken", "key-broken", new Secret("broken-secret"), OptionalInt.of(20)),
                        new AccountConfig("nocap", "key-nocap", new Secret("nocap-secret"), OptionalInt.empty()),
                        new AccountConfig("zoomfull", new Credentials.Zoom("acct-zoomfull", "client-zoomfull",
                                new Secret("zoomfull-secret")), OptionalInt.of(8), Optional.empty())),
                zoom.urls());
    }

    /** CrcDataStale of {@code account} as Prometheus would send it. */
    private static Map<String, String> staleData(String account) {
        return Map.of("alertname", "CrcDataStale", "account", account, "severity", "warning", "service", "crc",
                "instance", "test");
    }

    // ------------------------------------------------------------------ the test

    @Test
    void alertsReachAlertmanagerOnceAndEveryDashboardFigureIsTheSameWithAnHaPair() throws Exception {
        long started = System.nanoTime();

        // fake upstream -> an HA pair of exporters polling it -> Prometheus (one scraping the pair, one exporter A
        // alone) -> Alertmanager
        ExporterConfig config = config();
        Exporter exporterA = fixture.start(config, Clock.systemUTC());
        Exporter exporterB = fixture.start(config, Clock.systemUTC());
        AlertingStack stack = AlertingStack.start(processes, tmp, List.of(exporterA.port(), exporterB.port()),
                exporterA.port());
        AlertmanagerServer alertmanager = stack.alertmanager;

        // alerts: CrcPortsSaturated for full and for the Zoom account, CrcApiFailing for broken,
        // CrcCapacityNotConfigured for nocap
        AlertmanagerServer.Alerts alerts = stack.await(ALERT_BOUND, "CrcPortsSaturated{account=full},"
                        + " CrcPortsSaturated{account=zoomfull}, CrcApiFailing{account=broken} and"
                        + " CrcCapacityNotConfigured{account=nocap} in Alertmanager",
                alertmanager::alerts,
                a -> a.has("CrcPortsSaturated", "full", "critical")
                        && a.has("CrcPortsSaturated", "zoomfull", "critical")
                        && a.has("CrcApiFailing", "broken", "warning")
                        && a.has("CrcCapacityNotConfigured", "nocap", "info"));
        long alertsAfter = System.nanoTime();

        // the pair raises one saturation alert per account, not one per exporter; every alert is service="crc"
        List<Map<String, String>> saturated = alerts.labels().stream()
                .filter(l -> "CrcPortsSaturated".equals(l.get("alertname"))).toList();
        assertThat(saturated).as("CrcPortsSaturated in Alertmanager").extracting(l -> l.get("account"))
                .containsExactlyInAnyOrder("full", "zoomfull");
        assertThat(saturated)
                .allSatisfy(l -> assertThat(l).containsOnlyKeys("alertname", "account", "severity", "service"));
        assertThat(alerts.labels()).as("every alert is routed by service=crc")
                .allMatch(l -> "crc".equals(l.get("service")));
        assertThat(alerts.labels()).as("no saturation alert without a capacity")
                .noneMatch(l -> "nocap".equals(l.get("account")) && l.get("alertname").startsWith("CrcPorts"));

        // the shipped inhibit rule: CrcPortsSaturated silences CrcPortsNearlySaturated of the same account
        stack.await(Duration.ofSeconds(60),
                "CrcPortsNearlySaturated{account=full} in Alertmanager, inhibited by CrcPortsSaturated",
                alertmanager::alerts, a -> a.inhibited("CrcPortsNearlySaturated", "full"));

        // CrcDataStale needs 20 minutes of failures: posted by hand. A failing API explains stale data of the same
        // account (inhibited); stale data of another account is not.
        alertmanager.post(staleData("broken"), staleData("quiet"));
        stack.await(Duration.ofSeconds(60),
                "CrcDataStale{account=broken} inhibited by CrcApiFailing, CrcDataStale{account=quiet} active",
                alertmanager::alerts, a -> a.inhibited("CrcDataStale", "broken") && a.active("CrcDataStale", "quiet"));

        // nothing at all for quiet from Prometheus, neither in Alertmanager nor pending or firing
        assertThat(alertmanager.alerts().labels()).as("Alertmanager alerts for quiet" + stack.logs())
                .noneMatch(l -> "quiet".equals(l.get("account")) && !"CrcDataStale".equals(l.get("alertname")));
        assertThat(stack.pair.alerts()).as("Prometheus alerts").isNotEmpty()
                .noneMatch(l -> "quiet".equals(l.get("account")));

        // every rule evaluates without errors, on both servers
        assertThat(stack.pair.unhealthyRules()).as("rules that fail to evaluate on " + stack.pair.url()).isEmpty();
        assertThat(stack.single.unhealthyRules()).as("rules that fail to evaluate on " + stack.single.url()).isEmpty();

        // every dashboard query returns data
        DashboardQueries.Outcome dashboard = DashboardQueries.run(stack.pair,
                Map.of("source", List.of("systec", "zoom"), "account", ACCOUNTS));
        assertThat(dashboard.problems()).as("dashboard queries without data" + stack.logs()).isEmpty();

        // the dashboard's first row: the last 30 days from the hourly rules; full and zoomfull are at capacity today
        stack.await(Duration.ofSeconds(30),
                "days at capacity of the last 30 days: 1 for full and zoomfull, 0 for quiet",
                () -> stack.pair.instant("max by (account) (account:crc_ports_days_at_capacity:count30d)"),
                days -> days.equals(Map.of("{account=full}", 1.0, "{account=zoomfull}", 1.0, "{account=quiet}", 0.0,
                        "{account=broken}", 0.0)));
        stack.await(Duration.ofSeconds(30), "highest hourly peak of the last 30 days of full: 10",
                () -> stack.pair.instant("max by (account) (account:crc_ports_hourly_peak:max30d{account=\"full\"})"),
                peak -> peak.equals(Map.of("{account=full}", 10.0)));

        // Figures from the upstream data: the pair must show exactly what one exporter shows (a sum over instances
        // would double them). Both servers may be a scrape apart: wait until they agree.
        assertThat(dashboard.figures()).as("queries compared").hasSizeGreaterThanOrEqualTo(10);
        for (DashboardQueries.Query query : dashboard.figures()) {
            stack.await(Duration.ofSeconds(30),
                    query.where() + " `" + query.expr() + "`: same figures from the pair as from one exporter",
                    () -> List.of(stack.pair.instant(query.expr()), stack.single.instant(query.expr())),
                    both -> both.get(0).equals(both.get(1)));
        }

        TreeSet<String> fired = new TreeSet<>();
        for (Map<String, String> l : alertmanager.alerts().labels()) {
            fired.add(l.get("alertname") + "{account=" + l.get("account") + ",severity=" + l.get("severity") + "}");
        }
        System.out.printf("EndToEndIT: expected alerts in Alertmanager after %.1fs, whole test %.1fs; %d dashboard"
                        + " queries returned data, the same from the HA pair as from one exporter; alerts in"
                        + " Alertmanager: %s%n",
                (alertsAfter - started) / 1e9, (System.nanoTime() - started) / 1e9, dashboard.checked(), fired);
    }
}
