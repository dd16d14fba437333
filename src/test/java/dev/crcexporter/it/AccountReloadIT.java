package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.ConfigLoader;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.FailureReason;
import dev.crcexporter.web.ReloadTrigger.Outcome;
import dev.crcexporter.web.toolkit.ListenAddress;
import dev.crcexporter.web.toolkit.WebConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload's accounts, against the fake APIs over loopback: what stays keeps its data, counters and round; what is new
 * or changed upstream (secret, key, zone, source, URL) starts afresh and is polled at once; what is removed is gone
 * at the next scrape; nothing of a poll in flight or a pending retry reaches the new state; an invalid file or a
 * restart-only change keeps the running accounts. Upstream request counts show that no poll is lost or duplicated.
 */
class AccountReloadIT {
    /** 2026-11-26 12:00 in Asia/Shanghai (05:00 in Berlin): every zone's window holds 2026-11-26. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String DAY = "2026-11-26";

    @TempDir
    Path dir;
    private Path file;
    private final ExporterFixture fixture = new ExporterFixture();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeCrcApi crc;

    @BeforeEach
    void upstream() throws Exception {
        file = dir.resolve("crc.yml");
        crc = fixture.closeLater(new FakeCrcApi());
        for (String name : List.of("hq", "apac", "emea", "lat", "new", "sw")) {
            crc.account("k-" + name, "s-" + name, List.of(Days.peakingAtTen(DAY, 10 + name.length())));
        }
        crc.account("k-emea-2", "s-emea", List.of(Days.peakingAtTen(DAY, 33)));
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    /** A systec account as YAML; {@code extra} lines are indented under it. */
    private static String systec(String name, String key, String secret, String... extra) {
        return "  - name: " + name + "\n    api_key: " + key + "\n    api_secret: " + secret + "\n"
                + String.join("", java.util.Arrays.stream(extra).map(line -> "    " + line + "\n").toList());
    }

    private static String zoom(String name, String accountId, String... extra) {
        return "  - name: " + name + "\n    source: zoom\n    account_id: " + accountId + "\n    client_id: c-" + accountId
                + "\n    client_secret: cs-" + accountId + "\n"
                + String.join("", java.util.Arrays.stream(extra).map(line -> "    " + line + "\n").toList());
    }

    private String config(String settings, String... accounts) {
        return "api_url: " + crc.url() + "\npoll_interval: 1h\ntimeout: 20s\n"
                + "retry:\n  max_attempts: 2\n  initial_backoff: 100ms\n  max_backoff: 100ms\n"
                + settings + "accounts:\n" + String.join("", accounts);
    }

    private Exporter start(String yaml) throws Exception {
        Files.writeString(file, yaml);
        return fixture.closeLater(Exporter.start(ConfigLoader.load(file), new ListenAddress("127.0.0.1", 0), WebConfig.NONE,
                "/metrics", CLOCK, Optional.empty(), () -> ConfigLoader.load(file), () -> WebConfig.NONE));
    }

    private Outcome reload(Exporter exporter, String yaml) throws Exception {
        Files.writeString(file, yaml);
        return exporter.reload("test");
    }

    private static void awaitUp(Exporter exporter, String... accounts) {
        Poll.until(BOUND, "accounts " + String.join(",", accounts) + " polled",
                () -> exporter.store().all().stream().filter(AccountSnapshot::up).map(AccountSnapshot::name)
                        .toList().containsAll(List.of(accounts)));
    }

    private String metrics(Exporter exporter) {
        return fixture.metrics(exporter);
    }

    private static double value(String metrics, String series) {
        return ExporterFixture.value(metrics, series).orElseThrow(() -> new AssertionError(series + " missing"));
    }

    private static double errors(String metrics, String account) {
        return value(metrics, "crc_exporter_poll_errors_total{account=\"" + account + "\",reason=\"http_status\"}");
    }

    /** The documented answer, but HTTP 500 for the first request of each key in {@code failOnce}. */
    private void failFirstRequestOf(String... keys) {
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Set<String> failOnce = Set.of(keys);
        crc.behave(request -> failOnce.contains(request.apiKey()) && failed.add(request.apiKey())
                ? new Response(500, Map.of(), "", Duration.ZERO) : crc.documentedAnswer(request));
    }

    @Test
    void postReloadKeepsWhatStaysRenewsWhatChangedPollsWhatIsNewAndDropsWhatIsRemoved() throws Exception {
        failFirstRequestOf("k-hq", "k-apac");
        Exporter exporter = start(config("", systec("hq", "k-hq", "s-hq", "capacity: 40"), systec("apac", "k-apac", "s-apac"),
                systec("emea", "k-emea", "s-emea"), systec("lat", "k-lat", "s-lat")));
        awaitUp(exporter, "hq", "apac", "emea", "lat");
        String before = metrics(exporter);
        assertThat(errors(before, "hq")).isEqualTo(1.0);
        assertThat(errors(before, "apac")).isEqualTo(1.0);
        assertThat(fixture.get(exporter, "/-/ready").statusCode()).isEqualTo(200);

        crc.account("k-apac", "s-apac-2", List.of(Days.peakingAtTen(DAY, 21)));
        Files.writeString(file, config("", systec("new", "k-new", "s-new"), systec("hq", "k-hq", "s-hq", "capacity: 48"),
                systec("apac", "k-apac", "s-apac-2"), systec("emea", "k-emea-2", "s-emea")));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port()
                + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("configuration reloaded: 4 account(s); added: new; removed: lat;"
                + " changed: hq (capacity), apac (api_secret), emea (api_key)\n");

        // Ready it was, ready it stays while the new accounts' first polls run.
        assertThat(fixture.get(exporter, "/-/ready").statusCode()).isEqualTo(200);
        // Removed at once; new and changed accounts are polled at once, as fresh accounts.
        assertThat(exporter.store().all()).extracting(AccountSnapshot::name).containsExactly("new", "hq", "apac", "emea");
        awaitUp(exporter, "new", "apac", "emea");
        String after = metrics(exporter);
        assertThat(after).doesNotContain("account=\"lat\"");
        assertThat(value(after, "crc_ports_capacity{account=\"hq\"}")).isEqualTo(48.0);
        // hq kept its data and its counter, and was not polled again.
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"hq\",date=\"" + DAY + "\"}")).isEqualTo(12.0);
        assertThat(errors(after, "hq")).isEqualTo(1.0);
        // apac (new secret) and emea (new key) start from zero counters with their new upstream's data.
        assertThat(errors(after, "apac")).isEqualTo(0.0);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"apac\",date=\"" + DAY + "\"}")).isEqualTo(21.0);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"emea\",date=\"" + DAY + "\"}")).isEqualTo(33.0);
        assertThat(value(after, "crc_exporter_config_last_reload_successful")).isEqualTo(1.0);
        assertThat(Map.of("hq", crc.requestsFor("k-hq"), "apac", crc.requestsFor("k-apac"), "emea", crc.requestsFor("k-emea"),
                "emea-2", crc.requestsFor("k-emea-2"), "lat", crc.requestsFor("k-lat"), "new", crc.requestsFor("k-new")))
                .isEqualTo(Map.of("hq", 2L, "apac", 3L, "emea", 1L, "emea-2", 1L, "lat", 1L, "new", 1L));
    }

    @Test
    void zoneSourceAndUrlChangesAreNewUpstreamWhileACapacityAloneKeepsTheZoomToken() throws Exception {
        FakeZoomApi zoomApi = fixture.closeLater(new FakeZoomApi(CLOCK));
        FakeCrcApi otherCrc = fixture.closeLater(new FakeCrcApi());
        otherCrc.account("k-hq", "s-hq", List.of(Days.peakingAtTen(DAY, 44)));
        for (String id : List.of("z1", "z2", "z3")) {
            zoomApi.account(id, "c-" + id, "cs-" + id, List.of(Days.peakingAtTen(DAY, 30)));
        }
        String zoomBlock = "zoom:\n  api_url: " + zoomApi.urls().apiUrl() + "\n  oauth_url: " + zoomApi.urls().oauthUrl() + "\n";
        Exporter exporter = start(config(zoomBlock, zoom("zm", "z1"), zoom("zm2", "z2", "capacity: 10"),
                systec("sw", "k-sw", "s-sw"), systec("hq", "k-hq", "s-hq")));
        awaitUp(exporter, "zm", "zm2", "sw", "hq");

        String moved = config(zoomBlock, zoom("zm", "z1", "timezone: Europe/Berlin"), zoom("zm2", "z2", "capacity: 12"),
                zoom("sw", "z3"), systec("hq", "k-hq", "s-hq")).replace("api_url: " + crc.url(), "api_url: " + otherCrc.url());
        Outcome outcome = reload(exporter, moved);
        assertThat(outcome.message()).isEqualTo("configuration reloaded: 4 account(s); changed: zm (timezone),"
                + " zm2 (capacity), sw (source); settings: api_url");
        awaitUp(exporter, "zm", "sw", "hq");
        Poll.until(BOUND, "hq polled at its new URL", () -> otherCrc.requestsFor("k-hq") == 1);

        String after = metrics(exporter);
        assertThat(value(after, "crc_ports_capacity{account=\"zm2\"}")).isEqualTo(12.0);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"hq\",date=\"" + DAY + "\"}")).isEqualTo(44.0);
        assertThat(after).contains("crc_account_info{account=\"sw\",source=\"zoom\"");
        // zm: a new zone is a new account upstream (token and poll); zm2 kept its token and its round.
        assertThat(List.of(zoomApi.tokenRequests("z1"), zoomApi.metricsRequests("z1"))).containsExactly(2L, 2L);
        assertThat(List.of(zoomApi.tokenRequests("z2"), zoomApi.metricsRequests("z2"))).containsExactly(1L, 1L);
        assertThat(List.of(zoomApi.tokenRequests("z3"), zoomApi.metricsRequests("z3"))).containsExactly(1L, 1L);
        assertThat(List.of(crc.requestsFor("k-sw"), crc.requestsFor("k-hq"))).containsExactly(1L, 1L);
    }

    @Test
    void aPollInFlightForARemovedOrChangedAccountWritesNothingIntoTheNewState() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        crc.behave(request -> {
            boolean held = "k-lat".equals(request.apiKey())
                    || "k-apac".equals(request.apiKey()) && "s-apac".equals(request.params().get("api_secret"));
            if (!held) {
                return crc.documentedAnswer(request);
            }
            try {
                release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // What the old configuration's poll brings back: must not be shown.
            return Response.json(dev.crcexporter.demo.ApiAnswers.success(List.of(Days.peakingAtTen(DAY, 99))));
        });
        Exporter exporter = start(config("", systec("hq", "k-hq", "s-hq"), systec("apac", "k-apac", "s-apac"),
                systec("lat", "k-lat", "s-lat"), systec("emea", "k-emea", "s-emea")));
        awaitUp(exporter, "hq", "emea");
        Poll.until(BOUND, "apac's and lat's polls held", () -> crc.requestsFor("k-apac") == 1 && crc.requestsFor("k-lat") == 1);
        SnapshotStore.Slot oldApac = exporter.store().slots().get("apac");
        SnapshotStore.Slot oldLat = exporter.store().slots().get("lat");

        crc.account("k-apac", "s-apac-2", List.of(Days.peakingAtTen(DAY, 21)));
        assertThat(reload(exporter, config("", systec("hq", "k-hq", "s-hq"), systec("apac", "k-apac", "s-apac-2"),
                systec("emea", "k-emea", "s-emea"), systec("new", "k-new", "s-new"))).applied()).isTrue();
        // The changed account is polled at once although its old poll still runs.
        awaitUp(exporter, "apac", "new");
        release.countDown();
        Poll.until(BOUND, "the old polls ended", () -> oldApac.get().polled() && oldLat.get().polled());

        String after = metrics(exporter);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"apac\",date=\"" + DAY + "\"}")).isEqualTo(21.0);
        assertThat(after).doesNotContain("account=\"lat\"");
        assertThat(exporter.store().all()).extracting(AccountSnapshot::name).containsExactly("hq", "apac", "emea", "new");
        assertThat(List.of(crc.requestsFor("k-apac"), crc.requestsFor("k-lat"), crc.requestsFor("k-hq"))).containsExactly(2L, 1L, 1L);
    }

    @Test
    void aRetryPendingForARemovedOrChangedAccountIsNotSent() throws Exception {
        failFirstRequestOf("k-apac", "k-lat");
        String retrySlowly = "retry:\n  max_attempts: 2\n  initial_backoff: 3s\n  max_backoff: 3s\n";
        try (LogCapture logs = new LogCapture()) {
            Exporter exporter = start(config("", systec("hq", "k-hq", "s-hq"), systec("apac", "k-apac", "s-apac"),
                    systec("lat", "k-lat", "s-lat")).replaceFirst("retry:\n(  .*\n){3}", retrySlowly));
            awaitUp(exporter, "hq");
            Poll.until(BOUND, "apac's and lat's first requests failed",
                    () -> exporter.store().all().stream().filter(s -> !s.name().equals("hq"))
                            .allMatch(s -> s.errorCounts().get(FailureReason.HTTP_STATUS) == 1));

            crc.account("k-lat", "s-lat-2", List.of(Days.peakingAtTen(DAY, 23)));
            assertThat(reload(exporter, config("", systec("hq", "k-hq", "s-hq"), systec("lat", "k-lat", "s-lat-2"))
                    .replaceFirst("retry:\n(  .*\n){3}", retrySlowly)).applied()).isTrue();
            awaitUp(exporter, "lat");
            // Both retries come due (1.5 to 3 s after the failure) and are dropped rather than sent.
            Poll.until(BOUND, "both retries dropped", () -> logs.logfmtLines().stream()
                    .filter(line -> line.contains("poll dropped: the account was reloaded")).count() == 2);
            assertThat(List.of(crc.requestsFor("k-apac"), crc.requestsFor("k-lat"), crc.requestsFor("k-hq")))
                    .containsExactly(1L, 2L, 1L);
            String after = metrics(exporter);
            assertThat(errors(after, "lat")).isEqualTo(0.0);
            assertThat(after).doesNotContain("account=\"apac\"");
        }
    }

    @Test
    void anInvalidFileOrARestartOnlyChangeKeepsTheRunningAccounts() throws Exception {
        Exporter exporter = start(config("", systec("hq", "k-hq", "s-hq", "capacity: 40"), systec("lat", "k-lat", "s-lat")));
        awaitUp(exporter, "hq", "lat");
        // A scrape now renders the accounts' part; a failed reload changes no account but must still show.
        assertThat(value(metrics(exporter), "crc_exporter_config_last_reload_successful")).isEqualTo(1.0);

        Outcome invalid = reload(exporter, config("", systec("hq", "k-hq", "s-hq", "capacity: -5"), systec("new", "k-new", "s-new")));
        assertThat(invalid.applied()).isFalse();
        assertThat(invalid.message()).contains("accounts[hq].capacity");
        Outcome restartOnly = reload(exporter, config("", systec("hq", "k-hq", "s-hq", "capacity: 48"),
                systec("new", "k-new", "s-new")).replace("timeout: 20s", "timeout: 5s").replace("poll_interval: 1h",
                "poll_interval: 1h\ntimezone: Europe/Berlin"));
        assertThat(restartOnly.applied()).isFalse();
        assertThat(restartOnly.message()).isEqualTo("reload failed, the running configuration stays: timeout changed (20s to 5s),"
                + " timezone changed (Asia/Shanghai to Europe/Berlin): needs a restart, the rest of the file was not applied either");

        String after = metrics(exporter);
        assertThat(value(after, "crc_exporter_config_last_reload_successful")).isEqualTo(0.0);
        assertThat(value(after, "crc_ports_capacity{account=\"hq\"}")).isEqualTo(40.0);
        assertThat(value(after, "crc_up{account=\"lat\"}")).isEqualTo(1.0);
        assertThat(after).doesNotContain("account=\"new\"");
        assertThat(List.of(crc.requestsFor("k-hq"), crc.requestsFor("k-lat"), crc.requestsFor("k-new"))).containsExactly(1L, 1L, 0L);
    }

    @Test
    void accountsThatStayKeepTheirRoundAndANewIntervalAppliesFromTheNextOne() throws Exception {
        String every3s = config("", systec("hq", "k-hq", "s-hq")).replace("poll_interval: 1h", "poll_interval: 3s")
                .replace("timeout: 20s", "timeout: 1s");
        Exporter exporter = start(every3s);
        awaitUp(exporter, "hq");
        // Three reloads within the first interval, each with changes: none polls hq again or delays its round.
        for (String yaml : List.of(config("", systec("hq", "k-hq", "s-hq"), systec("new", "k-new", "s-new")),
                config("", systec("hq", "k-hq", "s-hq", "capacity: 4")), config("", systec("hq", "k-hq", "s-hq", "capacity: 5")))) {
            assertThat(reload(exporter, yaml.replace("poll_interval: 1h", "poll_interval: 3s").replace("timeout: 20s", "timeout: 1s"))
                    .applied()).isTrue();
        }
        Poll.until(BOUND, "hq's next two rounds", () -> crc.requestsFor("k-hq") == 3);
        assertThat(reload(exporter, config("", systec("hq", "k-hq", "s-hq")).replace("poll_interval: 1h", "poll_interval: 1500ms")
                .replace("timeout: 20s", "timeout: 1s")).applied()).isTrue();
        Poll.until(BOUND, "three rounds at the new interval", () -> crc.requestsFor("k-hq") == 6);

        List<Long> arrivals = crc.arrivalsFor("k-hq");
        List<Long> gapsMillis = java.util.stream.IntStream.range(1, arrivals.size())
                .mapToObj(i -> TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 1))).toList();
        // A duplicated poll would show as a gap near 0, a lost one as a double gap; the machine is noisy, hence wide.
        assertThat(gapsMillis.subList(0, 3)).as("gaps at 3s, then the round due before the change").allSatisfy(
                gap -> assertThat(gap).isBetween(2000L, 4000L));
        assertThat(gapsMillis.subList(3, 5)).as("gaps at 1.5s").allSatisfy(gap -> assertThat(gap).isBetween(800L, 2200L));
        assertThat(crc.requestsFor("k-new")).isEqualTo(1);
    }
}
