package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.upstream.UsageSource;
import dev.crcexporter.upstream.UsageSources;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How many token and metrics requests Zoom accounts cause: 3 accounts polled every 5 minutes for 3 simulated hours
 * against {@link FakeZoomApi}, the clock moved 5 minutes per round. Each round does what a poll does (the account's
 * {@link UsageSource}, yesterday and today of its zone, the accounts in parallel as the poller's workers do). The
 * figures go to {@code target/zoom-requests-per-hour.txt} for the closing note.
 */
class ZoomRequestRateIT {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    @Test
    void threeAccountsPolledEveryFiveMinutesAskForATokenEvery55MinutesEach() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T01:02:00Z")); // 09:02 in Shanghai
        List<String> names = List.of("emea", "apac", "amer");
        ExecutorService workers = Executors.newFixedThreadPool(names.size());
        List<String> report = new ArrayList<>();
        try (FakeZoomApi zoom = new FakeZoomApi(clock)) {
            List<AccountConfig> accounts = new ArrayList<>();
            for (String name : names) {
                zoom.account("acct-" + name, "client-" + name, name + "-S3cret",
                        List.of(Days.peakingAtTen("2026-11-25", 9), Days.peakingAtTen("2026-11-26", 9)));
                accounts.add(ZoomSourceIT.zoomAccount(name, name + "-S3cret"));
            }
            ExporterConfig config = new ExporterConfig(URI.create("http://127.0.0.1:9/unused"), RequestMethod.POST,
                    SHANGHAI, INTERVAL, Duration.ofSeconds(10), 8, RetryConfig.DEFAULT, accounts, zoom.urls());
            try (UsageSources sources = new UsageSources(config, clock)) {
                long tokensBefore = 0;
                long metricsBefore = 0;
                List<long[]> perHour = new ArrayList<>();
                for (int hour = 1; hour <= 3; hour++) {
                    for (int round = 0; round < 12; round++) {
                        List<Future<?>> polls = new ArrayList<>();
                        for (AccountConfig account : accounts) {
                            polls.add(workers.submit(() -> {
                                DateWindow window = DateWindow.at(clock.instant(), config.zoneOf(account));
                                return sources.of(account).fetch(window.yesterday(), window.today());
                            }));
                        }
                        for (Future<?> poll : polls) {
                            poll.get(30, TimeUnit.SECONDS);
                        }
                        clock.advance(INTERVAL);
                    }
                    long tokens = zoom.tokenRequests() - tokensBefore;
                    long metrics = zoom.metricsRequests() - metricsBefore;
                    perHour.add(new long[] {tokens, metrics});
                    report.add(String.format("hour %d (polls at %d..%d min): %d token requests, %d metrics requests",
                            hour, (hour - 1) * 60, (hour - 1) * 60 + 55, tokens, metrics));
                    tokensBefore = zoom.tokenRequests();
                    metricsBefore = zoom.metricsRequests();
                }
                report.add("max token requests in flight at once: " + zoom.maxConcurrentTokenRequests()
                        + " (one per account)");
                Files.createDirectories(Path.of("target"));
                Files.write(Path.of("target/zoom-requests-per-hour.txt"), report);
                report.forEach(System.out::println);

                // From a cold start: a token at 0 min and its renewal at 55 min (5 minutes before it expires), per
                // account.
                assertThat(perHour.get(0)).containsExactly(6, 36);
                // Then one renewal per account every 55 minutes: at 110 and at 165 min.
                assertThat(perHour.get(1)).containsExactly(3, 36);
                assertThat(perHour.get(2)).containsExactly(3, 36);
                assertThat(zoom.maxConcurrentTokenRequests()).isLessThanOrEqualTo(names.size());
            }
        } finally {
            workers.shutdownNow();
        }
    }
}
