package dev.crcexporter.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.upstream.UsageSources;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backfill against a loopback fake of the API: exact output for a tiny case, chunking, retries. */
class BackfillTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T02:30:00Z"), ZoneOffset.UTC);
    private FakeCrcApi upstream;
    private final StringWriter progress = new StringWriter();
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        upstream = new FakeCrcApi().account("key-hq", "s-hq", List.of()).account("key-br", "s-br", List.of());
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private static DailyUsage day(String date, HourUsage... hours) {
        return new DailyUsage(LocalDate.parse(date), List.of(hours));
    }

    private ExporterConfig config(int maxAttempts) {
        return new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"), Duration.ofMinutes(5),
                Duration.ofSeconds(2), 4, new RetryConfig(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(20)),
                List.of(new AccountConfig("hq", "key-hq", new Secret("s-hq"), OptionalInt.of(40)),
                        new AccountConfig("br", "key-br", new Secret("s-br"), OptionalInt.empty())),
                ZoomConfig.DEFAULT);
    }

    private String run(ExporterConfig config, String from, String to, Duration step, Backfill.Result[] result)
            throws Exception {
        StringWriter out = new StringWriter();
        try (UsageSources sources = new UsageSources(config, CLOCK)) {
            Backfill backfill = new Backfill(config, sources, CLOCK, step, new PrintWriter(progress), sleeps::add);
            result[0] = backfill.run(LocalDate.parse(from), LocalDate.parse(to), day -> out);
        }
        return out.toString();
    }

    @Test
    void goldenOutputForTwoDaysAcrossAMonthBoundary() throws Exception {
        // Each answer holds a day before and a day after what was asked for; both must be ignored.
        upstream.behave(request -> {
            String from = request.params().get("from");
            boolean hq = "key-hq".equals(request.params().get("api_key"));
            if (from.equals("2026-01-31")) {
                return Response.json(ApiAnswers.success(List.of(day("2026-01-30", new HourUsage(9, 99, 99)),
                        day("2026-01-31", new HourUsage(10, hq ? 5 : 7, 9), new HourUsage(9, 3, 4)),
                        day("2026-02-01", new HourUsage(0, 98, 98)))));
            }
            return Response.json(ApiAnswers.success(List.of(day("2026-02-01", new HourUsage(0, hq ? 1 : 2, 1)),
                    day("2026-02-02", new HourUsage(0, 97, 97)))));
        });
        Backfill.Result[] result = new Backfill.Result[1];

        String text = run(config(1), "2026-01-31", "2026-02-01", Duration.ofMinutes(20), result);

        // 2026-01-31 09:00 in Shanghai is 1769821200; hour 11 and the other hours were not reported: no samples.
        assertThat(text).isEqualTo("""
                # TYPE crc_ports_current_max_usage gauge
                # HELP crc_ports_current_max_usage %s
                crc_ports_current_max_usage{account="hq"} 3 1769821200
                crc_ports_current_max_usage{account="hq"} 3 1769822400
                crc_ports_current_max_usage{account="hq"} 3 1769823600
                crc_ports_current_max_usage{account="hq"} 5 1769824800
                crc_ports_current_max_usage{account="hq"} 5 1769826000
                crc_ports_current_max_usage{account="hq"} 5 1769827200
                crc_ports_current_max_usage{account="hq"} 1 1769875200
                crc_ports_current_max_usage{account="hq"} 1 1769876400
                crc_ports_current_max_usage{account="hq"} 1 1769877600
                crc_ports_current_max_usage{account="br"} 3 1769821200
                crc_ports_current_max_usage{account="br"} 3 1769822400
                crc_ports_current_max_usage{account="br"} 3 1769823600
                crc_ports_current_max_usage{account="br"} 7 1769824800
                crc_ports_current_max_usage{account="br"} 7 1769826000
                crc_ports_current_max_usage{account="br"} 7 1769827200
                crc_ports_current_max_usage{account="br"} 2 1769875200
                crc_ports_current_max_usage{account="br"} 2 1769876400
                crc_ports_current_max_usage{account="br"} 2 1769877600
                # TYPE crc_ports_capacity gauge
                # HELP crc_ports_capacity Purchased CRC ports of the account, as configured.
                crc_ports_capacity{account="hq"} 40 1769821200
                crc_ports_capacity{account="hq"} 40 1769822400
                crc_ports_capacity{account="hq"} 40 1769823600
                crc_ports_capacity{account="hq"} 40 1769824800
                crc_ports_capacity{account="hq"} 40 1769826000
                crc_ports_capacity{account="hq"} 40 1769827200
                crc_ports_capacity{account="hq"} 40 1769875200
                crc_ports_capacity{account="hq"} 40 1769876400
                crc_ports_capacity{account="hq"} 40 1769877600
                # EOF
                """.formatted(dev.crcexporter.metrics.CrcMetrics.CURRENT_MAX_USAGE_HELP));
        assertThat(result[0].accounts()).containsExactly("hq", "br");
        assertThat(result[0].failed()).isEmpty();
        assertThat(result[0].samples()).isEqualTo(27);
        assertThat(upstream.requests()).extracting(r -> r.params().get("api_key") + " " + r.params().get("from") + ".."
                + r.params().get("to")).containsExactly("key-hq 2026-01-31..2026-02-01",
                "key-hq 2026-02-01..2026-02-02", "key-br 2026-01-31..2026-02-01", "key-br 2026-02-01..2026-02-02");
        assertThat(progress.toString()).contains("backfill: account hq (1/2) chunk 1/2 2026-01-31..2026-01-31: 1 of 1"
                + " days asked for, 3 days in the answer");
    }

    @Test
    void noSampleLiesInTheFuture() throws Exception {
        // Now is 10:30 in Shanghai on 2026-11-26; the API reports the whole day as zeros after that.
        List<HourUsage> wholeDay = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            wholeDay.add(new HourUsage(h, 1, 1));
        }
        upstream.behave(request -> Response.json(ApiAnswers.success(
                List.of(new DailyUsage(LocalDate.parse("2026-11-26"), wholeDay)))));
        Backfill.Result[] result = new Backfill.Result[1];

        String text = run(config(1), "2026-11-26", "2026-11-26", Duration.ofMinutes(10), result);

        long now = CLOCK.instant().getEpochSecond();
        assertThat(text.lines().filter(l -> l.startsWith("crc_"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))))
                .allMatch(t -> t <= now).contains(now);
        // 10 full hours of 6 samples, then 10:00, 10:10, 10:20, 10:30 (= now); two series of usage and one of capacity
        assertThat(result[0].samples()).isEqualTo(3 * (10 * 6 + 4));
    }

    @Test
    void retriesWithBackoffAndHonoursRetryAfterBoundedToAnHour() throws Exception {
        int[] calls = {0};
        upstream.behave(request -> {
            if (!"key-hq".equals(request.params().get("api_key"))) {
                return Response.json(ApiAnswers.success(List.of()));
            }
            return switch (++calls[0]) {
                case 1 -> new Response(429, Map.of("Retry-After", "2"), "", Duration.ZERO);
                case 2 -> new Response(429, Map.of("Retry-After", "7200"), "", Duration.ZERO);
                case 3 -> new Response(503, Map.of(), "maintenance", Duration.ZERO);
                default -> Response.json(ApiAnswers.success(List.of(day("2026-03-01", new HourUsage(0, 1, 1)))));
            };
        });
        Backfill.Result[] result = new Backfill.Result[1];

        run(config(4), "2026-03-01", "2026-03-01", Duration.ofHours(1), result);

        assertThat(sleeps).hasSize(3);
        assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(sleeps.get(1)).isEqualTo(Duration.ofHours(1));
        assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
        assertThat(result[0].failed()).isEmpty();
        assertThat(result[0].requests()).isEqualTo(5);
        assertThat(progress.toString()).contains("attempt 3 failed (http_status: HTTP 503: maintenance), retrying in");
    }

    @Test
    void anAccountThatStillFailsIsSkippedAndTheOthersAreWritten() throws Exception {
        upstream.behave(request -> "key-hq".equals(request.params().get("api_key"))
                ? Response.json(ApiAnswers.error(401, "invalid api_key"))
                : Response.json(ApiAnswers.success(List.of(day("2026-03-01", new HourUsage(0, 1, 1))))));
        Backfill.Result[] result = new Backfill.Result[1];

        String text = run(config(2), "2026-03-01", "2026-03-01", Duration.ofHours(1), result);

        assertThat(result[0].failed()).containsOnlyKeys("hq")
                .containsValue("api_status: API status 401: invalid api_key");
        assertThat(result[0].accounts()).containsExactly("br");
        assertThat(text).doesNotContain("account=\"hq\"").contains("crc_ports_current_max_usage{account=\"br\"} 1 ")
                .doesNotContain("crc_ports_capacity").endsWith("# EOF\n");
        assertThat(progress.toString()).contains("backfill: account hq (1/2) FAILED, skipped: api_status: API status"
                + " 401: invalid api_key");
        assertThat(upstream.requestsFor("key-hq")).isEqualTo(2);
    }
}
