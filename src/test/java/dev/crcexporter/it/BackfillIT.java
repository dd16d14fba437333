package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.PrometheusServer;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 7 end to end: fake upstream (answers every day of each request's range, plus poisoned days around it)
 * -> {@code crc-exporter backfill} (in-process) -> the real {@code promtool tsdb create-blocks-from openmetrics}
 * on its day files, as docs/backfill.md runs it -> the real Prometheus on those blocks -> PromQL at past instants
 * returns each hour's max_usage.
 */
class BackfillIT {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** A value the answers carry on days outside the request; it must never reach the file. */
    private static final long POISON = 999;

    @TempDir
    Path tmp;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();
    private FakeCrcApi upstream;

    @AfterEach
    void stopEverything() throws Exception {
        try (fixture) {
            processes.close();
        }
    }

    // ------------------------------------------------------------------ the fake upstream

    /** The hour's max_usage of an account: varies with day and hour, 0..45. */
    static long usage(String apiKey, LocalDate date, int hour) {
        int salt = apiKey.hashCode() & 0xff;
        return (date.getDayOfYear() * 7L + hour * 13L + salt) % 46;
    }

    /** hq does not report 13:00 on 2026-02-14: no sample may be invented for it. */
    static boolean reported(String apiKey, LocalDate date, int hour) {
        return !(apiKey.equals("key-hq") && date.equals(LocalDate.of(2026, 2, 14)) && hour == 13);
    }

    /**
     * Answers every day from {@code from} to {@code to} inclusive (the API page's example answers two days for
     * from=12-01&to=12-02) and the day before {@code from}; days outside [from, to) carry {@link #POISON}.
     * "key-broken" gets an API error.
     */
    static Response answer(FakeCrcApi.Request request) {
        String key = request.params().getOrDefault("api_key", "");
        if (key.equals("key-broken")) {
            return Response.json(ApiAnswers.error(500, "internal error"));
        }
        LocalDate from = LocalDate.parse(request.params().get("from"));
        LocalDate to = LocalDate.parse(request.params().get("to"));
        List<DailyUsage> days = new ArrayList<>();
        for (LocalDate date = from.minusDays(1); !date.isAfter(to); date = date.plusDays(1)) {
            boolean asked = !date.isBefore(from) && date.isBefore(to);
            List<HourUsage> hours = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                if (reported(key, date, h)) {
                    long max = asked ? usage(key, date, h) : POISON;
                    hours.add(new HourUsage(h, max, max * 2));
                }
            }
            days.add(new DailyUsage(date, hours));
        }
        return Response.json(ApiAnswers.success(days));
    }

    private Path config(String... accounts) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                api_url: %s
                timezone: Asia/Shanghai
                timeout: 5s
                retry:
                  max_attempts: 2
                  initial_backoff: 10ms
                  max_backoff: 20ms
                accounts:
                """.formatted(upstream.url()));
        for (String account : accounts) {
            String[] parts = account.split(":");
            yaml.append("  - name: ").append(parts[0]).append("\n    api_key: key-").append(parts[0])
                    .append("\n    api_secret: secret-").append(parts[0]).append('\n');
            if (parts.length > 1) {
                yaml.append("    capacity: ").append(parts[1]).append('\n');
            }
        }
        Path file = tmp.resolve("config.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private record Run(int exitCode, String err) {}

    private static Run backfill(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = CrcExporterCommand.commandLine(Map.of(), Clock.systemUTC());
        cli.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of("backfill"), Stream.of(args)).toArray(String[]::new);
        return new Run(cli.execute(all), err.toString());
    }

    // ------------------------------------------------------------------ Prometheus

    /** The result vector of an instant query at {@code time}: label "account" (or "") -> value. */
    private static Map<String, Double> query(PrometheusServer prom, String promql, ZonedDateTime time) {
        Map<String, Double> values = new java.util.TreeMap<>();
        for (JsonNode sample : prom.queryAt(promql, time.toEpochSecond())) {
            values.put(sample.path("metric").path("account").asText(""),
                    Double.parseDouble(sample.path("value").get(1).asText()));
        }
        return values;
    }

    private static ZonedDateTime at(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(SHANGHAI);
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void backfilledHoursAreQueryableInPrometheusAndAFailingAccountIsSkipped() throws Exception {
        upstream = fixture.closeLater(new FakeCrcApi());
        upstream.behave(BackfillIT::answer);
        Path config = config("hq:40", "broken:20", "branch");
        Path output = tmp.resolve("crc.om");

        Run run = backfill("--config.file=" + config, "--from=2026-01-30", "--to=2026-03-02", "--output=" + output);

        // exit 1: broken failed (after its retry), reported and skipped; the others are in the file
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err())
                .contains("backfill: account broken (2/3) FAILED, skipped: api_status: API status 500: internal error")
                .contains("backfill: account hq (1/3) chunk 2/3 2026-02-01..2026-02-28: 28 of 28 days asked for")
                .contains("FAILED accounts: broken");
        assertThat(upstream.requestsFor("key-broken")).isEqualTo(2);
        assertThat(Files.readString(output)).doesNotContain("broken").endsWith("# EOF\n");
        assertThat(Files.exists(tmp.resolve("crc.om.partial"))).isFalse();

        // calendar-month requests: to > from, no request spans more than a month
        assertThat(upstream.requests()).filteredOn(r -> r.params().get("api_key").equals("key-hq"))
                .extracting(r -> r.params().get("from") + ".." + r.params().get("to"))
                .containsExactly("2026-01-30..2026-02-01", "2026-02-01..2026-03-01", "2026-03-01..2026-03-03");
        assertThat(upstream.requests()).allSatisfy(r -> {
            LocalDate from = LocalDate.parse(r.params().get("from"));
            LocalDate to = LocalDate.parse(r.params().get("to"));
            assertThat(to).isAfter(from).isBeforeOrEqualTo(from.plusMonths(1));
        });

        // promtool turns the same days into blocks as docs/backfill.md does: one file per day, one promtool each, one
        // block per day (2-hour blocks, promtool's default, made 384 blocks of these 32 days: 20 to 60 s here)
        Path dayFiles = tmp.resolve("crc-history");
        Run split = backfill("--config.file=" + config, "--from=2026-01-30", "--to=2026-03-02", "--split-by-day",
                "--output=" + dayFiles);
        assertThat(split.exitCode()).as(split.err()).isEqualTo(1);
        assertThat(split.err()).contains("32 day files in");
        Path blocks = Files.createDirectories(tmp.resolve("prom-data"));
        try (Stream<Path> files = Files.list(dayFiles)) {
            for (Path day : files.sorted().toList()) {
                assertThat(Files.readString(day)).as(day.toString()).doesNotContain("broken").endsWith("# EOF\n");
                ExternalProcesses.Result created = processes.run(Duration.ofSeconds(120), "promtool", "tsdb",
                        "create-blocks-from", "openmetrics", "--max-block-duration=24h", day.toString(),
                        blocks.toString());
                assertThat(created.exitCode()).as("promtool tsdb create-blocks-from openmetrics %s:%n%s", day,
                        created.output()).isZero();
            }
        }

        // Prometheus on those blocks, keeping them (the default retention of 15d would delete them at once)
        Path promConfig = tmp.resolve("prometheus.yml");
        Files.writeString(promConfig, "global:\n  scrape_interval: 1m\n");
        PrometheusServer prom = PrometheusServer.start(processes, promConfig, blocks, tmp.resolve("prometheus.log"),
                "--storage.tsdb.retention.time=10y");

        try {
            // the value at 10:30 of a day is that hour's max_usage, for every account written
            for (String date : List.of("2026-01-30", "2026-02-10", "2026-02-28", "2026-03-02")) {
                LocalDate day = LocalDate.parse(date);
                assertThat(query(prom, "crc_ports_current_max_usage", at(date + "T10:30:00"))).as(date + " 10:30")
                        .isEqualTo(Map.of("hq", (double) usage("key-hq", day, 10),
                                "branch", (double) usage("key-branch", day, 10)));
            }
            // and so is every minute of the hour: 60 samples of one value
            ZonedDateTime endOfHour = at("2026-02-10T10:59:59");
            assertThat(query(prom, "count_over_time(crc_ports_current_max_usage{account=\"hq\"}[1h])", endOfHour))
                    .containsEntry("hq", 60.0);
            assertThat(query(prom, "max_over_time(crc_ports_current_max_usage{account=\"hq\"}[1h])"
                    + " - min_over_time(crc_ports_current_max_usage{account=\"hq\"}[1h])", endOfHour))
                    .containsEntry("hq", 0.0);

            // at the end of a day, max_over_time over one day is the day's peak
            for (String date : List.of("2026-02-10", "2026-03-01")) {
                LocalDate day = LocalDate.parse(date);
                long peak = 0;
                for (int h = 0; h < 24; h++) {
                    peak = Math.max(peak, usage("key-hq", day, h));
                }
                assertThat(query(prom, "max_over_time(crc_ports_current_max_usage{account=\"hq\"}[1d])",
                        at(date + "T23:59:59")))
                        .as("peak of " + date).containsEntry("hq", (double) peak);
            }

            // capacity where configured, at the same instants
            assertThat(query(prom, "crc_ports_capacity", at("2026-02-10T10:30:00"))).isEqualTo(Map.of("hq", 40.0));

            // an hour the API did not report stays empty; nothing before --from or after --to; nothing poisoned
            assertThat(query(prom, "crc_ports_current_max_usage{account=\"hq\"}", at("2026-02-14T13:30:00"))).isEmpty();
            assertThat(query(prom, "crc_ports_current_max_usage{account=\"branch\"}", at("2026-02-14T13:30:00")))
                    .hasSize(1);
            assertThat(query(prom, "crc_ports_current_max_usage", at("2026-01-29T23:59:00"))).isEmpty();
            assertThat(query(prom, "crc_ports_current_max_usage", at("2026-03-03T00:10:00"))).isEmpty();
            assertThat(query(prom, "count_over_time(crc_ports_current_max_usage{account=\"branch\"}[40d])",
                    at("2026-03-03T00:00:00")))
                    .containsEntry("branch", 32 * 24 * 60.0);
            assertThat(query(prom, "max_over_time(crc_ports_current_max_usage[40d])", at("2026-03-03T00:00:00")))
                    .allSatisfy((account, max) -> assertThat(max).isLessThan(POISON));
            assertThat(query(prom, "count(crc_ports_current_max_usage{account=\"broken\"})", at("2026-02-10T10:30:00")))
                    .isEmpty();

            lastThirtyDaysOfTheDashboardFromTheBackfilledDays(prom);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + prom.logTail(), e);
        }
    }

    /**
     * The dashboard's first row reads two hourly recording rules that read the exposed series themselves, so the
     * backfilled days count as soon as Prometheus evaluates them. Evaluated here at the end of the backfilled days (as
     * Prometheus would at that hour), they give the highest hourly peak of the last 30 days and the UTC days on
     * which an hour reached the 40 ports of hq, worked out here from {@link #usage}.
     */
    private void lastThirtyDaysOfTheDashboardFromTheBackfilledDays(PrometheusServer prom) throws IOException {
        Map<String, String> rules = new HashMap<>();
        for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(MonitoringAssetsIT.RULES.toFile())
                .path("groups")) {
            group.path("rules").forEach(rule -> rules.put(rule.path("record").asText(), rule.path("expr").asText()));
        }
        Instant end = at("2026-03-03T00:00:00").toInstant();
        // The rules step through the hours after end - 30 days + 1 hour up to end + 1 hour; the step at the end of an
        // hour and the one at its start (its first sample, at :00) both see it, each on the UTC day of the step.
        Instant first = end.minus(Duration.ofDays(30)).plus(Duration.ofHours(1));
        Instant last = end.plus(Duration.ofHours(1));
        Set<Long> days = new TreeSet<>();
        long highest = 0;
        LocalDate lastDay = LocalDate.of(2026, 3, 2);
        for (LocalDate date = LocalDate.of(2026, 1, 30); !date.isAfter(lastDay); date = date.plusDays(1)) {
            for (int h = 0; h < 24; h++) {
                Instant hour = date.atTime(h, 0).atZone(SHANGHAI).toInstant();
                for (Instant step : List.of(hour, hour.plus(Duration.ofHours(1)))) {
                    if (reported("key-hq", date, h) && step.isAfter(first) && !step.isAfter(last)) {
                        highest = Math.max(highest, usage("key-hq", date, h));
                        if (usage("key-hq", date, h) >= 40) {
                            days.add(step.getEpochSecond() / 86400);
                        }
                    }
                }
            }
        }
        ZonedDateTime atEnd = end.atZone(SHANGHAI);
        assertThat(days).as("days at capacity worked out").hasSizeGreaterThan(5);
        assertThat(query(prom, rules.get("account:crc_ports_days_at_capacity:count30d"), atEnd))
                .as("account:crc_ports_days_at_capacity:count30d").isEqualTo(Map.of("hq", (double) days.size()));
        assertThat(query(prom, rules.get("account:crc_ports_hourly_peak:max30d"), atEnd))
                .as("account:crc_ports_hourly_peak:max30d").containsEntry("hq", (double) highest).containsKey("branch");
    }


    @Test
    void ninetyDaysOfTenAccountsAtOneSamplePerMinute() throws Exception {
        upstream = fixture.closeLater(new FakeCrcApi());
        upstream.behave(BackfillIT::answer);
        String[] accounts = new String[10];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = "acct" + i + ":50";
        }
        Path config = config(accounts);
        Path output = tmp.resolve("ninety.om");
        LocalDate from = LocalDate.of(2026, 5, 1);

        long started = System.nanoTime();
        Run run = backfill("--config.file=" + config, "--from=" + from, "--to=" + from.plusDays(89),
                "--output=" + output, "--step=60s");
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(run.exitCode()).as(run.err()).isZero();
        long samples = 90L * 24 * 60 * 10 * 2; // usage and capacity
        assertThat(run.err()).contains("wrote " + samples + " samples of 10 of 10 accounts");
        assertThat(upstream.requests()).hasSize(10 * 3); // May, June, July
        System.out.printf("BackfillIT: 90 days x 10 accounts at step 60s: %d samples, %d MB, %d requests, %.1fs%n",
                samples, Files.size(output) >> 20, upstream.requests().size(), seconds);

        // The same as one file per day, which promtool turns into blocks far faster (it reads a file once
        // per 2h block).
        Path days = tmp.resolve("days");
        started = System.nanoTime();
        Run split = backfill("--config.file=" + config, "--from=" + from, "--to=" + from.plusDays(89),
                "--output=" + days, "--split-by-day");
        double splitSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(split.exitCode()).as(split.err()).isZero();
        assertThat(split.err()).contains("wrote " + samples + " samples of 10 of 10 accounts")
                .contains("90 day files in");
        List<Path> files;
        try (Stream<Path> list = Files.list(days)) {
            files = list.sorted().toList();
        }
        assertThat(files).hasSize(90)
                .allSatisfy(f -> assertThat(f.getFileName().toString()).matches("crc-2026-\\d\\d-\\d\\d\\.om"));
        System.out.printf("BackfillIT: the same with --split-by-day: 90 files, %.1fs%n", splitSeconds);

        // Opt-in (-Dbackfill.promtool=true, minutes on a small machine): promtool over the 90 day files.
        if (Boolean.getBoolean("backfill.promtool")) {
            long promtoolStarted = System.nanoTime();
            for (Path file : files) {
                ExternalProcesses.Result created = processes.run(Duration.ofSeconds(600), "promtool", "tsdb",
                        "create-blocks-from", "openmetrics", "--quiet", "--max-block-duration=24h", file.toString(),
                        tmp.resolve("blocks").toString());
                assertThat(created.exitCode()).as(created.output()).isZero();
            }
            System.out.printf("BackfillIT: promtool tsdb create-blocks-from openmetrics on the 90 day files: %.1fs%n",
                    (System.nanoTime() - promtoolStarted) / 1e9);
        }
    }
}
