package dev.crcexporter.it;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Request;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the upstream-fault tests share: a fake systec API with account hq, the exporter fixture, the log, and the
 * helpers that wait for a counted error or a logged warning. {@link UpstreamFaultsIT} (connections, status codes,
 * timeouts, rate limits and retries, one account among others) and {@link UpstreamAnswersIT} (what an answer holds:
 * API errors, malformed or cut bodies, size caps, broken HTTP, the days exposed).
 */
abstract class UpstreamFaultsFixture {
    /** 10:30 in Shanghai on 2026-11-26. */
    static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String SECRET = "faults-S3cret";
    static final String HQ = "crc_ports_max_usage{account=\"hq\",date=\"2026-11-26\",hour=\"10\"}";

    final ExporterFixture fixture = new ExporterFixture();
    /** Holds the answers of an upstream that hangs, until the test ends. */
    final CountDownLatch release = new CountDownLatch(1);
    FakeCrcApi upstream;
    LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        upstream = fixture.closeLater(new FakeCrcApi());
        upstream.account("key-hq", SECRET, List.of(day("2026-11-25", 20), day("2026-11-26", 30)));
        logs = fixture.closeLater(new LogCapture());
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        fixture.close();
    }

    /** The documented answer, once the test ends: an upstream that hangs for as long as the test needs. */
    Response heldUntilTheEnd(Request request) {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the fake is closing
        }
        return upstream.documentedAnswer(request);
    }

    /** 24 hours peaking at {@code peak} at 10:00. */
    static DailyUsage day(String date, int peak) {
        return Days.peakingAtTen(date, peak);
    }

    static AccountConfig account(String name) {
        return new AccountConfig(name, "key-" + name, new Secret(SECRET), OptionalInt.empty());
    }

    static ExporterConfig config(URI url, Duration interval, Duration timeout, int concurrency, RetryConfig retry,
                                         AccountConfig... accounts) {
        return new ExporterConfig(url, RequestMethod.POST, ZoneId.of("Asia/Shanghai"), interval, timeout, concurrency,
                retry, List.of(accounts), ZoomConfig.DEFAULT);
    }

    static RetryConfig noRetry() {
        return new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(100));
    }

    Exporter startHq(Duration interval, Duration timeout, RetryConfig retry) {
        return fixture.start(config(upstream.url(), interval, timeout, 8, retry, account("hq")), CLOCK);
    }

    long errors(Exporter exporter, String account, FailureReason reason) {
        return fixture.account(exporter, account).errors(reason);
    }

    void awaitError(Exporter exporter, FailureReason reason) {
        awaitError(exporter, reason, Duration.ofSeconds(15));
    }

    void awaitError(Exporter exporter, FailureReason reason, Duration bound) {
        Poll.until(bound, "a " + reason.label() + " error", () -> errors(exporter, "hq", reason) >= 1);
    }

    List<String> warnLines(String reason) {
        return logs.logfmtLines().stream().filter(l -> l.contains("reason=" + reason)).toList();
    }

    /**
     * Waits for a warning of {@code reason} that contains {@code text}: the poller counts an error first, then logs
     * it.
     */
    void awaitWarning(String reason, String text) {
        Poll.until(Duration.ofSeconds(10), "a warning with reason=" + reason + " containing: " + text,
                () -> warnLines(reason).stream().anyMatch(l -> l.contains(text)));
    }
}
