package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.report.SmallDataSet;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Request;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.upstream.DailyUsage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code crc-exporter report} in-process against the fake upstream over loopback: the requests it sends (month
 * chunks, Retry-After), what it writes, and how it treats a failing account.
 */
class ReportIT {
    /** 2026-04-14 22:30 UTC is 00:30 on 04-15 in Berlin: "yesterday" there is 04-14, not 04-13. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-14T22:30:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeCrcApi upstream;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeCrcApi()
                .account("key-hq", "s3cret-hq", SmallDataSet.days())
                .account("key-branch", "s3cret-branch", SmallDataSet.days());
        upstream.behave(request -> request.apiKey().equals("key-broken")
                ? Response.json(ApiAnswers.error(401, "invalid api_key"))
                : upstream.documentedAnswer(request));
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private Path config(String accounts) throws Exception {
        Path file = tmp.resolve("config.yml");
        Files.writeString(file, "api_url: " + upstream.url() + "\ntimezone: Europe/Berlin\ntimeout: 5s\n"
                + "retry: {max_attempts: 3, initial_backoff: 10ms, max_backoff: 20ms}\naccounts:\n" + accounts);
        return file;
    }

    private static final String THREE_ACCOUNTS = """
              - {name: hq, api_key: key-hq, api_secret: s3cret-hq, capacity: 10}
              - {name: broken, api_key: key-broken, api_secret: s3cret-broken, capacity: 5}
              - {name: branch, api_key: key-branch, api_secret: s3cret-branch}
            """;

    private int run(String... args) {
        CommandLine cli = CrcExporterCommand.commandLine(Map.of(), CLOCK);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<String> ranges(String apiKey) {
        return upstream.requests().stream().filter(r -> r.apiKey().equals(apiKey))
                .map(r -> r.params().get("from") + ".." + r.params().get("to")).toList();
    }

    @Test
    void smallDataSetInMonthChunksWithAFailingAccountSkipped() throws Exception {
        Path json = tmp.resolve("report.json");

        int status = run("report", "--config.file=" + config(THREE_ACCOUNTS), "--from=2026-03-21", "--to=2026-04-13",
                "--format=json", "--output=" + json);

        assertThat(status).as("stderr: %s", err).isEqualTo(1);
        // one request per calendar month, `to` the day after the last day wanted
        assertThat(ranges("key-hq")).containsExactly("2026-03-21..2026-04-01", "2026-04-01..2026-04-14");
        assertThat(ranges("key-branch")).containsExactly("2026-03-21..2026-04-01", "2026-04-01..2026-04-14");
        assertThat(ranges("key-broken")).hasSize(3); // retried up to max_attempts, then skipped

        JsonNode accounts = JSON.readTree(json.toFile()).get("accounts");
        assertThat(accounts).extracting(a -> a.get("account").asText()).containsExactly("hq", "broken", "branch");
        JsonNode hq = accounts.get(0);
        assertThat(hq.get("peak").asLong()).isEqualTo(10);
        assertThat(hq.get("daily_peak_p95").asLong()).isEqualTo(9);
        assertThat(hq.get("hours_at_capacity").asLong()).isEqualTo(2);
        assertThat(hq.get("hours_expected").asLong()).isEqualTo(575); // the DST night has 23 hours in Berlin
        assertThat(hq.get("trend_reaches_capacity_week").asText()).isEqualTo("2026-04-06");
        assertThat(hq.get("recommended_ports").asLong()).isEqualTo(124); // over the default 12 months, see below
        assertThat(hq.get("recommended_change").asLong()).isEqualTo(114);
        assertThat(accounts.get(1).get("status").asText()).isEqualTo("failed");
        assertThat(accounts.get(1).get("error").asText()).isEqualTo("api_status: API status 401: invalid api_key");
        assertThat(accounts.get(2).get("capacity").isNull()).isTrue();

        assertThat(err.toString())
                .contains("report: account hq (1/3) chunk 1/2 2026-03-21..2026-03-31: 11 of 11 days asked for")
                .contains("report: account broken (2/3) FAILED, skipped: api_status: API status 401: invalid api_key")
                .contains("report: 2 of 3 accounts, 2026-03-21..2026-04-13, 7 requests")
                .contains("FAILED accounts: broken")
                .doesNotContain("s3cret");
        assertThat(Files.readString(json)).doesNotContain("s3cret");
        assertThat(tmp.resolve("report.json.partial")).doesNotExist();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void textToStandardOutputByDefaultOverTheNinetyDaysUpToYesterdayInTheConfiguredZone() throws Exception {
        int status = run("report",
                "--config.file=" + config("  - {name: hq, api_key: key-hq, api_secret: s3cret-hq, capacity: 10}\n"));

        assertThat(status).as("stderr: %s", err).isZero();
        // 90 days up to 2026-04-14 (yesterday in Berlin, while it is still 04-14 in UTC)
        assertThat(ranges("key-hq")).containsExactly("2026-01-15..2026-02-01", "2026-02-01..2026-03-01",
                "2026-03-01..2026-04-01", "2026-04-01..2026-04-15");
        assertThat(out.toString()).startsWith("CRC capacity report 2026-01-15 to 2026-04-14 (90 days), all hours")
                .contains("\nhq ").contains("Missing data: 67 days without any data (2026-01-15,");
    }

    /**
     * hq of the small data set grows: its complete weeks peak at 6, 8 and 10, a line of +2.00 ports a week. The 99th
     * percentile of its 547 hourly peaks is 8 (AccountStatisticsTest). Today's demand (--horizon=0): 8 + 10 % = 8.8
     * -> 9, one fewer than the 10 bought. Through 12 months (52 weeks): 8 + 2.00 x 52 = 112, + 10 % = 123.2 -> 124,
     * 114 more. branch has the same days and no capacity: no change to tell.
     */
    @Test
    void aGrowingAccountNeedsMoreThroughTwelveMonthsThanToday() throws Exception {
        Path config = config(THREE_ACCOUNTS);
        Path today = tmp.resolve("today.csv");
        Path year = tmp.resolve("year.json");
        assertThat(run("report", "--config.file=" + config, "--accounts=hq,branch", "--from=2026-03-21",
                "--to=2026-04-13", "--format=csv", "--horizon=0", "--output=" + today)).as("stderr: %s", err).isZero();
        assertThat(run("report", "--config.file=" + config, "--accounts=hq,branch", "--from=2026-03-21",
                "--to=2026-04-13", "--format=json", "--horizon=12", "--output=" + year)).as("stderr: %s", err).isZero();

        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(today))) {
            rows = parser.getRecords();
        }
        assertThat(rows.get(0).get("account")).isEqualTo("hq");
        assertThat(rows.get(0).get("recommended_ports")).isEqualTo("9");
        assertThat(rows.get(0).get("recommended_change")).isEqualTo("-1");
        assertThat(rows.get(1).get("recommended_change")).isEmpty();

        JsonNode report = JSON.readTree(year.toFile());
        assertThat(report.get("horizon_months").asInt()).isEqualTo(12);
        JsonNode hqYear = report.get("accounts").get(0);
        assertThat(hqYear.get("recommended_ports").asLong()).isEqualTo(124).isGreaterThan(9);
        assertThat(hqYear.get("recommended_change").asLong()).isEqualTo(114);
        assertThat(report.get("accounts").get(1).get("recommended_change").isNull()).isTrue();
    }

    @Test
    void retryAfterOfARateLimitedChunkIsHonoured() throws Exception {
        AtomicBoolean limited = new AtomicBoolean();
        upstream.behave(request -> limited.compareAndSet(false, true)
                ? new Response(429, Map.of("Retry-After", "1"), "slow down", Duration.ZERO)
                : upstream.documentedAnswer(request));

        int status = run("report",
                "--config.file=" + config("  - {name: hq, api_key: key-hq, api_secret: s3cret-hq}\n"),
                "--from=2026-04-01", "--to=2026-04-13", "--format=csv");

        assertThat(status).as("stderr: %s", err).isZero();
        List<Long> arrivals = upstream.arrivalsFor("key-hq");
        assertThat(arrivals).hasSize(2);
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(err.toString()).contains(
                "attempt 1 failed (rate_limited: HTTP 429 Too Many Requests, Retry-After 1s), retrying in 1s");
        assertThat(out.toString()).startsWith("account,status,").contains("\nhq,ok,");
    }

    @Test
    void onlyTheAccountsAskedFor() throws Exception {
        int status = run("report", "--config.file=" + config(THREE_ACCOUNTS), "--accounts=branch", "--from=2026-04-06",
                "--to=2026-04-12", "--format=csv");

        assertThat(status).as("stderr: %s", err).isZero();
        assertThat(upstream.requests()).extracting(Request::apiKey).containsExactly("key-branch");
        assertThat(out.toString().lines()).hasSize(2);
    }

    @Test
    void demoAccountsShowWeeklyRhythmGrowthAndCensoring() throws Exception {
        Path json = tmp.resolve("demo.json");
        assertThat(run("report", "--demo", "--format=json", "--output=" + json)).as("stderr: %s", err).isZero();

        JsonNode accounts = JSON.readTree(json.toFile()).get("accounts");
        assertThat(accounts).extracting(a -> a.get("account").asText())
                .containsExactly("headquarters", "shanghai-branch", "training-center", "emea-office");
        JsonNode hq = accounts.get(0);
        assertThat(hq.get("days_with_data").asInt()).isEqualTo(90);
        assertThat(hq.get("censored").asBoolean()).as("headquarters reaches its 40 ports").isTrue();
        assertThat(hq.get("trend_ports_per_week").decimalValue().signum()).as("growth").isPositive();
        assertThat(accounts.get(1).get("trend_ports_per_week").decimalValue().signum()).isPositive();
        assertThat(accounts.get(2).get("censored").asBoolean()).isFalse();
        // the account of the simulated Zoom: 90 days in month requests with Zoom's inclusive to, growing too
        assertThat(accounts.get(3).get("days_with_data").asInt()).isEqualTo(90);
        assertThat(accounts.get(3).get("trend_ports_per_week").decimalValue().signum()).isPositive();
        // weekly rhythm: Saturdays are far quieter than Tuesdays
        JsonNode grid = hq.get("weekday_hour_peaks");
        assertThat(grid.get("Sat").get(10).asLong() * 3).isLessThan(grid.get("Tue").get(10).asLong());
    }

    @Test
    void hundredAccountsOverNinetyDays() throws Exception {
        StringBuilder accounts = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            accounts.append("  - {name: acct-").append(i).append(", api_key: key-").append(i)
                    .append(", api_secret: s-").append(i).append(", capacity: 40}\n");
            keys.add("key-" + i);
        }
        // Answers exactly the days asked for, like the real API (building them is not what is measured).
        upstream.behave(request -> {
            List<DailyUsage> days = new ArrayList<>();
            LocalDate to = LocalDate.parse(request.params().get("to"));
            for (LocalDate d = LocalDate.parse(request.params().get("from")); d.isBefore(to); d = d.plusDays(1)) {
                days.add(Days.peakingAtTen(d.toString(), 20 + d.getDayOfMonth()));
            }
            return Response.json(ApiAnswers.success(days));
        });

        long started = System.nanoTime();
        int status = run("report", "--config.file=" + config(accounts.toString()), "--from=2026-01-14",
                "--to=2026-04-13", "--format=csv");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(status).as("stderr: %s", err).isZero();
        // 4 calendar months each: 01-14..01-31, February, March, 04-01..04-13
        assertThat(upstream.requests()).hasSize(400);
        assertThat(out.toString().lines()).hasSize(101);
        assertThat(out.toString()).contains("\nacct-99,ok,");
        System.out.printf("ReportIT: 100 accounts x 90 days: %d requests in %.1f s%n", upstream.requests().size(),
                took.toMillis() / 1000.0);
    }
}
