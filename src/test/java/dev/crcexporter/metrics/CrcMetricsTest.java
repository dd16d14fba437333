package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.Secret;
import dev.crcexporter.poll.PollError;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import dev.crcexporter.upstream.HourUsage;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Golden-output tests: the whole exposition text for known snapshots. */
class CrcMetricsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 10:30 in Shanghai on 2026-11-26. */
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final BuildInfo BUILD = new BuildInfo("1.2.3", "abc123def456", "17.0.15");

    private static final AccountConfig HQ = new AccountConfig("hq", "key-hq", new Secret("secret-hq"),
            OptionalInt.of(40));
    private static final AccountConfig LAB = new AccountConfig("lab", "key-lab", new Secret("secret-lab"),
            OptionalInt.empty());

    private static SnapshotStore knownSnapshots() {
        SnapshotStore store = new SnapshotStore(List.of(HQ, LAB));
        List<DailyUsage> usage = List.of(
                new DailyUsage(LocalDate.of(2026, 11, 24), List.of(new HourUsage(9, 99, 99))),   // too old: never shown
                new DailyUsage(LocalDate.of(2026, 11, 25), List.of(new HourUsage(9, 30, 51),
                        new HourUsage(10, 38, 70))),
                new DailyUsage(LocalDate.of(2026, 11, 26), List.of(new HourUsage(9, 12, 20), new HourUsage(10, 40, 66),
                        new HourUsage(11, 0, 0))));   // not begun: never shown
        store.update(store.slots().get("hq"),
                s -> s.withSuccess(usage, Instant.parse("2026-11-26T02:28:00Z"), Duration.ofMillis(250)));
        store.update(store.slots().get("lab"), s -> s
                .withError(new PollError(NOW, FailureReason.TIMEOUT, "no complete answer within 10000ms"))
                .withError(new PollError(NOW, FailureReason.TIMEOUT, "no complete answer within 10000ms"))
                .withFailure(Duration.ofSeconds(21)));
        return store;
    }

    private static PrometheusRegistry registry(SnapshotStore store, Instant now) {
        PrometheusRegistry registry = new PrometheusRegistry();
        new CrcMetrics(store, Clock.fixed(now, ZoneOffset.UTC), SHANGHAI, BUILD, Optional.empty(), Optional.empty(),
                true).register(registry);
        return registry;
    }

    private static String prometheusText(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Compares with the golden copy; on a difference the actual text lands in target/golden-actual/ for review. */
    private static void assertGolden(String actual, String name) throws IOException {
        String expected = Files.readString(Path.of("src/test/resources/metrics", name));
        if (!expected.equals(actual)) {
            Path dir = Files.createDirectories(Path.of("target/golden-actual"));
            Files.writeString(dir.resolve(name), actual);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void prometheusTextMatchesTheGoldenCopy() throws IOException {
        assertGolden(prometheusText(registry(knownSnapshots(), NOW)), "golden.prom");
    }

    @Test
    void openMetricsTextMatchesTheGoldenCopy() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(out, registry(knownSnapshots(), NOW).scrape());
        assertGolden(out.toString(StandardCharsets.UTF_8), "golden.openmetrics");
    }

    @Test
    void afterMidnightWithoutANewPollYesterdayIsGoneAndNoCurrentHourIsShown() throws IOException {
        // 00:05 on the 27th in Shanghai: the data polled on the 26th is now "yesterday".
        String text = prometheusText(registry(knownSnapshots(), Instant.parse("2026-11-26T16:05:00Z")));

        assertThat(text).doesNotContain("date=\"2026-11-25\"")
                .contains("crc_ports_max_usage{account=\"hq\",date=\"2026-11-26\",hour=\"10\"} 40.0")
                .contains("crc_ports_daily_max_usage{account=\"hq\",date=\"2026-11-26\"} 40.0")
                .doesNotContain("crc_ports_current_max_usage{");
    }

    @Test
    void aPeakLateInTheHourStaysInTheRecentSeriesAfterMidnight() throws IOException {
        // 40 of 40 ports at 23:56 on the 26th; at 00:01 on the 27th the API has not reported hour 00 yet.
        SnapshotStore store = new SnapshotStore(List.of(HQ));
        store.update(store.slots().get("hq"), s -> s.withSuccess(List.of(new DailyUsage(LocalDate.of(2026, 11, 26),
                List.of(new HourUsage(22, 12, 30), new HourUsage(23, 40, 75)))), Instant.parse("2026-11-26T16:01:00Z"),
                Duration.ofMillis(100)));

        String text = prometheusText(registry(store, Instant.parse("2026-11-26T16:01:30Z")));

        assertThat(text).doesNotContain("crc_ports_current_max_usage{")
                .contains("crc_ports_recent_max_usage{account=\"hq\"} 40.0");
    }

    @Test
    void beforeTheFirstPollOnlyHealthAndCountersAreExposed() throws IOException {
        String text = prometheusText(registry(new SnapshotStore(List.of(HQ)), NOW));

        assertThat(text).contains("crc_up{account=\"hq\"} 0.0")
                .contains("crc_ports_capacity{account=\"hq\"} 40.0")
                .contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"timeout\"} 0.0")
                .doesNotContain("crc_ports_max_usage{", "crc_exporter_last_success_timestamp_seconds{");
    }

    @Test
    void theViewStaysTheSameObjectUntilAPollOrTheHourChangesIt() throws IOException {
        SnapshotStore store = knownSnapshots();
        MutableClock clock = new MutableClock(NOW);
        CrcMetrics metrics = new CrcMetrics(store, clock, SHANGHAI, BUILD, Optional.empty(), Optional.empty(), true);

        CrcMetrics.View first = metrics.view();
        assertThat(metrics.view()).as("nothing changed").isSameAs(first);

        clock.advance(Duration.ofMinutes(20)); // 10:50, same hour
        assertThat(metrics.view()).as("same hour, same snapshots").isSameAs(first);

        clock.advance(Duration.ofMinutes(20)); // 11:10: hour 11 has begun, so it is shown now
        CrcMetrics.View nextHour = metrics.view();
        assertThat(nextHour).isNotSameAs(first);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        assertThat(prometheusText(registry)).contains("crc_ports_current_max_usage{account=\"hq\"} 0.0")
                .contains("crc_ports_max_usage{account=\"hq\",date=\"2026-11-26\",hour=\"11\"} 0.0");

        store.update(store.slots().get("lab"), s -> s.withFailure(Duration.ofSeconds(3)));
        assertThat(metrics.view()).as("a poll swapped a snapshot").isNotSameAs(nextHour);
    }

    @Test
    void aFilteredScrapeBuildsOnlyTheAskedFamiliesAndBoundsTheirSeries() {
        CrcMetrics metrics = new CrcMetrics(knownSnapshots(), Clock.fixed(NOW, ZoneOffset.UTC), SHANGHAI, BUILD,
                Optional.empty(), Optional.empty(), true);
        assertThat(metrics.collect(name -> name.equals("crc_up"), null).stream()
                        .map(s -> s.getMetadata().getPrometheusName()))
                .containsExactly("crc_up");
        assertThat(metrics.seriesBound(name -> name.equals("crc_up"))).isEqualTo(2);
        assertThat(metrics.seriesBound(name -> name.equals("crc_ports_max_usage"))).isEqualTo(2 * 48);
        long actual = metrics.collect().stream().mapToLong(s -> s.getDataPoints().size()).sum();
        assertThat(metrics.seriesBound(name -> true)).isGreaterThanOrEqualTo(actual);
    }

    @Test
    void aZoomAccountInItsOwnZoneHasItsOwnWindowAndItsSource() throws IOException {
        // 02:30 UTC: 10:30 on the 26th in Shanghai (the configured zone), 21:30 on the 25th in New York.
        AccountConfig ny = new AccountConfig("ny", new Credentials.Zoom("acct-ny", "client-ny", new Secret("s-ny")),
                OptionalInt.of(20), Optional.of(ZoneId.of("America/New_York")));
        SnapshotStore store = new SnapshotStore(List.of(HQ, ny));
        store.update(store.slots().get("ny"), s -> s.withSuccess(List.of(
                new DailyUsage(LocalDate.of(2026, 11, 23), List.of(new HourUsage(9, 99, 99))),
                new DailyUsage(LocalDate.of(2026, 11, 24), List.of(new HourUsage(9, 5, 6))),
                new DailyUsage(LocalDate.of(2026, 11, 25), List.of(new HourUsage(20, 11, 12), new HourUsage(21, 14, 15),
                        new HourUsage(22, 0, 0)))), NOW, Duration.ofMillis(300)));

        String text = prometheusText(registry(store, NOW));

        assertThat(text).contains("crc_account_info{account=\"ny\",source=\"zoom\"} 1",
                        "crc_account_info{account=\"hq\",source=\"systec\"} 1",
                        "crc_ports_max_usage{account=\"ny\",date=\"2026-11-24\",hour=\"09\"} 5.0",
                        "crc_ports_current_max_usage{account=\"ny\"} 14.0",
                        "crc_ports_recent_max_usage{account=\"ny\"} 14.0",
                        "crc_ports_daily_max_usage{account=\"ny\",date=\"2026-11-25\"} 14.0")
                .doesNotContain("date=\"2026-11-23\"", "hour=\"22\"");
    }

    @Test
    void withoutTheHourlyCollectorOnlyTheDateHourFamiliesAreLeftOut() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        CrcMetrics metrics = new CrcMetrics(knownSnapshots(), Clock.fixed(NOW, ZoneOffset.UTC), SHANGHAI, BUILD,
                Optional.empty(), Optional.empty(), false).register(registry);

        String text = prometheusText(registry);
        String withHourly = prometheusText(registry(knownSnapshots(), NOW));
        assertThat(text).doesNotContain("crc_ports_max_usage", "crc_ports_total_usage", "hour=");
        List<String> kept = withHourly.lines().filter(line -> !line.contains("crc_ports_max_usage")
                && !line.contains("crc_ports_total_usage")).toList();
        assertThat(text.lines().toList()).as("every other line, as with the hourly series").isEqualTo(kept);
        assertThat(text).contains("crc_ports_recent_max_usage{account=\"hq\"} 40.0",
                "crc_ports_current_max_usage{account=\"hq\"} 40.0",
                "crc_ports_daily_max_usage{account=\"hq\",date=\"2026-11-25\"} 38.0");
        assertThat(CrcMetrics.seriesPerAccount(false)).isEqualTo(17);
        assertThat(CrcMetrics.seriesPerAccount(true)).isEqualTo(17 + 2 * 48);
        assertThat(metrics.seriesBound(name -> true)).as("two accounts and the build info").isEqualTo(2 * 17 + 1);
    }

    @Test
    void nameFilterReturnsOnlyTheAskedFamilies() {
        var snapshots = registry(knownSnapshots(), NOW).scrape(name -> name.equals("crc_up"));
        assertThat(snapshots.stream().map(s -> s.getMetadata().getPrometheusName())).containsExactly("crc_up");
    }
}
