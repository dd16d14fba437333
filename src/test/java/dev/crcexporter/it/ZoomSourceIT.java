package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.testing.AccountState;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Zoom accounts over real loopback HTTP against {@link FakeZoomApi}: the token's life (one token for many polls,
 * renewal before expiry, expiry while a poll is in flight, one token request at a time whoever asks), a 401 from the
 * metrics call, wrong credentials, and Zoom accounts beside a systec account.
 */
class ZoomSourceIT {
    /** 10:30 in Shanghai on 2026-11-26. */
    static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final List<DailyUsage> DAYS = List.of(Days.peakingAtTen("2026-11-25", 20),
            Days.peakingAtTen("2026-11-26", 30));

    private final ExporterFixture fixture = new ExporterFixture();
    private final MutableClock clock = new MutableClock(NOW);
    private FakeZoomApi zoom;
    private FakeCrcApi systec;
    private LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        zoom = fixture.closeLater(new FakeZoomApi(clock));
        zoom.account("acct-emea", "client-emea", "emea-client-S3cret", DAYS)
                .account("acct-apac", "client-apac", "apac-client-S3cret",
                        List.of(Days.peakingAtTen("2026-11-26", 12)));
        systec = fixture.closeLater(new FakeCrcApi());
        systec.account("key-hq", "hq-S3cret", DAYS);
        logs = fixture.closeLater(new LogCapture());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    static AccountConfig zoomAccount(String name, String secret) {
        return new AccountConfig(name, new Credentials.Zoom("acct-" + name, "client-" + name, new Secret(secret)),
                OptionalInt.of(40), Optional.empty());
    }

    private ExporterConfig config(Duration interval, RetryConfig retry, AccountConfig... accounts) {
        return new ExporterConfig(systec.url(), RequestMethod.POST, SHANGHAI, interval, Duration.ofSeconds(5), 8, retry,
                List.of(accounts), zoom.urls());
    }

    private static RetryConfig noRetry() {
        return new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(100));
    }

    private Exporter startEmea(Duration interval) {
        return fixture.start(config(interval, noRetry(), zoomAccount("emea", "emea-client-S3cret")), clock);
    }

    private long errors(Exporter exporter, String account, FailureReason reason) {
        return fixture.account(exporter, account).errors(reason);
    }

    @Test
    void oneTokenServesManyPollsOfZoomAccountsBesideASystecAccount() {
        Exporter exporter = fixture.start(config(Duration.ofMillis(150), noRetry(),
                zoomAccount("emea", "emea-client-S3cret"),
                zoomAccount("apac", "apac-client-S3cret"),
                new AccountConfig("hq", "key-hq", new Secret("hq-S3cret"), OptionalInt.of(40))), clock);

        Poll.until(Duration.ofSeconds(20), "10 polls of each Zoom account",
                () -> zoom.metricsRequests("acct-emea") >= 10 && zoom.metricsRequests("acct-apac") >= 10);

        assertThat(zoom.tokenRequests("acct-emea")).isEqualTo(1);
        assertThat(zoom.tokenRequests("acct-apac")).isEqualTo(1);
        assertThat(zoom.requests()).filteredOn(r -> !r.isToken()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.authorization()).startsWith("Bearer eyJ");
            // Zoom's to is inclusive: yesterday and today, no tomorrow.
            assertThat(r.query()).containsEntry("from", "2026-11-25").containsEntry("to", "2026-11-26").hasSize(2);
        });
        assertThat(zoom.requests()).filteredOn(FakeZoomApi.Request::isToken).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.query()).containsEntry("grant_type", "account_credentials").hasSize(2);
        });
        String metrics = fixture.metrics(exporter);
        assertThat(metrics).contains(
                "crc_ports_max_usage{account=\"emea\",date=\"2026-11-26\",hour=\"10\"} 30.0",
                "crc_ports_max_usage{account=\"apac\",date=\"2026-11-26\",hour=\"10\"} 12.0",
                "crc_ports_max_usage{account=\"hq\",date=\"2026-11-26\",hour=\"10\"} 30.0",
                "crc_account_info{account=\"emea\",source=\"zoom\"} 1",
                "crc_account_info{account=\"apac\",source=\"zoom\"} 1",
                "crc_account_info{account=\"hq\",source=\"systec\"} 1",
                "crc_exporter_poll_errors_total{account=\"emea\",reason=\"auth\"} 0.0",
                "crc_up{account=\"emea\"} 1.0");
        String page = fixture.get(exporter, "/").body();
        assertThat(page).contains("data-source=\"zoom\"", "data-source=\"systec\"");
    }

    @Test
    void theTokenIsRenewedFiveMinutesBeforeItExpiresAndNoPollEverSeesA401() {
        Exporter exporter = startEmea(Duration.ofMillis(150));
        Poll.until(Duration.ofSeconds(10), "first poll", () -> fixture.account(exporter, "emea").up());

        clock.advance(Duration.ofMinutes(54).plusSeconds(59));
        long before = zoom.metricsRequests("acct-emea");
        Poll.until(Duration.ofSeconds(10), "3 more polls", () -> zoom.metricsRequests("acct-emea") >= before + 3);
        assertThat(zoom.tokenRequests("acct-emea")).as("still the first token at 54:59").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        long renewedAt = zoom.metricsRequests("acct-emea");
        Poll.until(Duration.ofSeconds(10), "3 more polls", () -> zoom.metricsRequests("acct-emea") >= renewedAt + 3);
        assertThat(zoom.tokenRequests("acct-emea")).as("renewed at 55:00, once").isEqualTo(2);
        // Every metrics request carried a valid token: none was refused.
        assertThat(logs.logfmtLines()).noneMatch(l -> l.contains("HTTP 401"));
        assertThat(fixture.account(exporter, "emea").errors().values()).containsOnly(0L);
    }

    @Test
    void aTokenThatExpiresWhileAPollIsInFlightIsRenewedOnceAndThePollSucceeds() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        zoom.behaveMetrics(request -> {
            if (first.getAndSet(false)) {
                firstArrived.countDown();
                await(release);
            }
            return zoom.documentedMetrics(request); // checks the token as of now
        });
        Exporter exporter = startEmea(Duration.ofHours(1));

        assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(61)); // the token in flight expires
        release.countDown();

        Poll.until(Duration.ofSeconds(10), "the poll succeeds", () -> fixture.account(exporter, "emea").up());
        assertThat(zoom.tokenRequests("acct-emea")).isEqualTo(2);
        assertThat(zoom.metricsRequests()).isEqualTo(2);
        assertThat(fixture.account(exporter, "emea").errors().values()).as("a renewal that worked is no failure")
                .containsOnly(0L);
        assertThat(logs.logfmtLines())
                .anyMatch(l -> l.contains("Zoom refused the access token") && l.contains("code 124"));
    }

    @Test
    void a401IsOneRenewalAndOneRetryAndASecond401IsAnAuthFailure() {
        zoom.behaveMetrics(request -> FakeZoomApi.json(401, "{\"code\":124,\"message\":\"Invalid access token.\"}"));
        Exporter exporter = startEmea(Duration.ofHours(1));

        Poll.until(Duration.ofSeconds(10), "the poll fails", () -> fixture.account(exporter, "emea").polled());
        assertThat(zoom.tokenRequests("acct-emea")).as("one token, one renewal").isEqualTo(2);
        assertThat(zoom.metricsRequests()).as("one request, one retry").isEqualTo(2);
        assertThat(errors(exporter, "emea", FailureReason.AUTH)).isEqualTo(1);
        assertThat(fixture.metrics(exporter)).contains("crc_up{account=\"emea\"} 0.0",
                "crc_exporter_poll_errors_total{account=\"emea\",reason=\"auth\"} 1.0");
        assertThat(fixture.landingPageCards(exporter).get("emea"))
                .startsWith("auth: HTTP 401 with a newly issued token: code 124: Invalid access token.");
    }

    @Test
    void wrongCredentialsAreAnAuthFailureOfThatAccountOnly() {
        Exporter exporter = fixture.start(config(Duration.ofMillis(300), noRetry(),
                zoomAccount("emea", "not-the-S3cret"),
                zoomAccount("apac", "apac-client-S3cret"),
                new AccountConfig("hq", "key-hq", new Secret("hq-S3cret"), OptionalInt.of(40))), clock);

        Poll.until(Duration.ofSeconds(10), "two failed polls of emea",
                () -> errors(exporter, "emea", FailureReason.AUTH) >= 2);
        Poll.until(Duration.ofSeconds(10), "apac and hq up", () -> {
            Map<String, AccountState> accounts = fixture.accounts(exporter);
            return accounts.get("apac").up() && accounts.get("hq").up();
        });
        String metrics = fixture.metrics(exporter);
        assertThat(metrics).contains("crc_up{account=\"emea\"} 0.0", "crc_up{account=\"apac\"} 1.0",
                "crc_up{account=\"hq\"} 1.0",
                "crc_exporter_poll_errors_total{account=\"apac\",reason=\"auth\"} 0.0");
        assertThat(zoom.metricsRequests("acct-emea")).as("no metrics call without a token").isZero();
        // Zoom's error and reason in the log line, and no other reason counted.
        Poll.until(Duration.ofSeconds(5), "the warning",
                () -> logs.logfmtLines().stream().anyMatch(l -> l.contains("reason=auth")
                && l.contains("token request refused: HTTP 401: invalid_client: Invalid client_id or client_secret")));
        assertThat(fixture.account(exporter, "emea").errors()).containsEntry(FailureReason.HTTP_STATUS, 0L)
                .containsEntry(FailureReason.MALFORMED, 0L);
    }

    @Test
    void pollAndLandingPageHistoryWaitForOneTokenRequest() {
        // The token endpoint takes its time; meanwhile the first poll and the page's history both need a token.
        zoom.behaveToken(request -> zoom.documentedToken(request).delayed(Duration.ofMillis(800)));
        Exporter exporter = startEmea(Duration.ofHours(1));
        Poll.until(Duration.ofSeconds(5), "the token request", () -> zoom.tokenRequests() == 1);
        fixture.get(exporter, "/");

        Poll.until(Duration.ofSeconds(10), "the poll and the history request",
                () -> zoom.metricsRequests("acct-emea") == 2);
        assertThat(zoom.tokenRequests()).isEqualTo(1);
        assertThat(zoom.maxConcurrentTokenRequests()).isEqualTo(1);
        assertThat(zoom.requests()).filteredOn(r -> !r.isToken())
                .extracting(r -> r.query().get("from") + ".." + r.query().get("to"))
                .containsExactlyInAnyOrder("2026-11-25..2026-11-26", "2026-10-28..2026-11-25");
    }

    @Test
    void aTokenWithoutTheCrcScopeIsWarnedAboutOnce() {
        zoom.behaveToken(request -> {
            Response issued = zoom.documentedToken(request);
            return FakeZoomApi.json(issued.status(),
                    issued.body().replace("dashboard_crc:read:admin", "meeting:read:admin user:read:admin"));
        });
        zoom.tokenLifetime(Duration.ofMinutes(2)); // renewed every minute: several tokens, one warning
        Exporter exporter = startEmea(Duration.ofMillis(150));
        Poll.until(Duration.ofSeconds(10), "first poll", () -> fixture.account(exporter, "emea").up());
        clock.advance(Duration.ofMinutes(1));
        Poll.until(Duration.ofSeconds(10), "a second token", () -> zoom.tokenRequests("acct-emea") == 2);

        assertThat(logs.logfmtLines()).filteredOn(l -> l.contains("none of the scopes that Get CRC port usage needs"))
                .singleElement().satisfies(l -> assertThat(l).containsPattern("account=\"?emea\"?\\s")
                        .contains("scope=\"meeting:read:admin user:read:admin\"",
                                "dashboard:read:crc_port_usage:admin"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
