package dev.crcexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.testing.FakeCrcApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad flags of {@code report}: exit 2 and one line naming the flag, before anything is fetched. */
class ReportCommandTest {
    private static final String CONFIG = "--config.file=src/test/resources/config/valid-minimal.yml";
    /** 2026-04-14 in every zone of the tests. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-14T06:00:00Z"), ZoneOffset.UTC);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = CrcExporterCommand.commandLine(Map.of(), CLOCK);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    private void assertUsageError(String message, String... args) {
        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: " + message + "\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void fromAfterTo() {
        assertUsageError("--from (2026-04-02) must not be after --to (2026-04-01)", CONFIG, "--from=2026-04-02",
                "--to=2026-04-01");
    }

    @Test
    void toInTheFuture() {
        assertUsageError("--to (2026-04-15) is after today (2026-04-14 in Asia/Shanghai)", CONFIG, "--to=2026-04-15");
    }

    @Test
    void businessHoursAndDays() {
        assertUsageError("--business-hours must be START-END with 0 <= START < END <= 24 (got \"18-08\")", CONFIG,
                "--business-hours=18-08");
        err.getBuffer().setLength(0);
        assertUsageError("--business-days must be weekdays or ranges like Mon-Fri or Mon,Wed,Fri (got \"weekdays\")",
                CONFIG, "--business-days=weekdays");
    }

    @Test
    void percentileAndHeadroomRanges() {
        assertUsageError("--percentile must be greater than 0 and at most 100 (got 101)", CONFIG, "--percentile=101");
        err.getBuffer().setLength(0);
        assertUsageError("--headroom must be between 0 and 1000 percent (got -5)", CONFIG, "--headroom=-5");
        err.getBuffer().setLength(0);
        assertThat(run(CONFIG, "--percentile=high")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Invalid value for option '--percentile'")
                .hasLineCount(1);
    }

    @Test
    void horizonRange() {
        assertUsageError("--horizon must be between 0 and 60 months (got -1)", CONFIG, "--horizon=-1");
        err.getBuffer().setLength(0);
        assertUsageError("--horizon must be between 0 and 60 months (got 61)", CONFIG, "--horizon=61");
        err.getBuffer().setLength(0);
        assertThat(run(CONFIG, "--horizon=a-year")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Invalid value for option '--horizon'")
                .hasLineCount(1);
    }

    @Test
    void unknownAccount() {
        assertUsageError("--accounts names an account that is not configured: \"hq2\" (configured: hq)", CONFIG,
                "--accounts=hq,hq2");
    }

    @Test
    void unknownFormat() {
        assertThat(run(CONFIG, "--format=pdf")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Invalid value for option '--format'")
                .contains("TEXT, CSV, JSON, HTML").hasLineCount(1);
    }

    @Test
    void outputThatCannotBeWritten() {
        assertUsageError("--output cannot be written: /nonexistent-dir/report.html (NoSuchFileException)", CONFIG,
                "--output=/nonexistent-dir/report.html");
    }

    @Test
    void demoWithAConfigFile() {
        assertUsageError("--demo reports on its own simulated accounts and cannot be combined with --config.file",
                CONFIG, "--demo");
    }

    @Test
    void badConfig() {
        assertUsageError("accounts[hq].capacity must be > 0 (got -5)",
                "--config.file=src/test/resources/config/invalid/capacity-negative.yml");
    }

    @Test
    void helpNamesEveryFlag() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--from", "--to", "--accounts", "--format", "--output", "--business-hours",
                "--business-days", "--percentile", "--headroom", "--horizon", "--demo", "--config.file",
                "--max-requests");
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("(default: 1000)", "per account and shared by every app",
                "a symbolic link's target is replaced, not the link", "a pipe, a device or /dev/stdout is written"
                + " straight into", "Exit 3");
    }

    @Test
    void fromTheYearOneIsRefusedBeforeAnyRequest(@TempDir Path dir) throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi().account("key-hq", "secret-hq", List.of())) {
            Path config = Files.writeString(dir.resolve("config.yml"), "api_url: " + upstream.url()
                    + "\naccounts:\n  - {name: hq, api_key: key-hq, api_secret: secret-hq}\n");

            assertUsageError("0001-01-01..2026-04-13 needs 24,304 upstream requests (1 account(s) x 24,304 calendar"
                    + " months), more than --max-requests=1000: shorten the range or raise --max-requests",
                    "--config.file=" + config, "--from=0001-01-01");
            assertThat(upstream.requests()).isEmpty();
        }
    }
}
