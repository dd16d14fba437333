package dev.crcexporter.backfill;

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

class BackfillCommandTest {
    private static final String CONFIG = "--config.file=src/test/resources/config/valid-minimal.yml";
    /** 2026-12-06 14:00 in Shanghai. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cli = CrcExporterCommand.commandLine(Map.of(), CLOCK);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aMissingFlagIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("crc-exporter: error: Missing required option: '--to=YYYY-MM-DD' (see --help)\n");
    }

    @Test
    void fromAfterToIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-02", "--to=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("crc-exporter: error: --from (2026-01-02) must not be after --to (2026-01-01)\n");
    }

    @Test
    void aBadDateNamesTheFlagAndTheFormat() {
        assertThat(run("backfill", CONFIG, "--from=2026-13-01", "--to=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Invalid value for option '--from'")
                .contains("not a date YYYY-MM-DD (got \"2026-13-01\")").hasLineCount(1);
    }

    @Test
    void aBadStepIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-01", "--to=2026-01-01", "--output=x.om", "--step=2h"))
                .isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("crc-exporter: error: --step must be whole seconds between 1s and 1h (got \"2h\")\n");
    }

    @Test
    void aBadConfigNamesTheField() {
        assertThat(run("backfill", "--config.file=src/test/resources/config/invalid/capacity-negative.yml",
                "--from=2026-01-01", "--to=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: accounts[hq].capacity must be > 0 (got -5)\n");
    }

    @Test
    void anUnknownFlagOfTheSubcommandIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-01", "--to=2026-01-01", "--output=x.om",
                "--form=2026-01-01")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Unknown option: '--form=2026-01-01'")
                .hasLineCount(1);
    }

    /** A configuration of one account at {@code upstream}. */
    private String configAt(FakeCrcApi upstream) throws Exception {
        return "--config.file=" + Files.writeString(dir.resolve("config.yml"), "api_url: " + upstream.url()
                + "\naccounts:\n  - {name: hq, api_key: key-hq, api_secret: secret-hq}\n");
    }

    @Test
    void toAfterTodayIsAUsageErrorBeforeAnyRequest() throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi().account("key-hq", "secret-hq", List.of())) {
            Path output = dir.resolve("x.om");

            assertThat(run("backfill", configAt(upstream), "--from=2026-12-01", "--to=9999-12-31",
                    "--output=" + output)).isEqualTo(2);

            assertThat(err.toString()).isEqualTo("crc-exporter: error: --to (9999-12-31) is after today"
                    + " (2026-12-06 in Asia/Shanghai)\n");
            assertThat(upstream.requests()).isEmpty();
            assertThat(output).doesNotExist();
        }
    }

    @Test
    void aRangeOfMoreRequestsThanMaxRequestsIsAUsageErrorBeforeAnyRequest() throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi().account("key-hq", "secret-hq", List.of())) {
            assertThat(run("backfill", configAt(upstream), "--from=2026-09-30", "--to=2026-12-01", "--max-requests=3",
                    "--output=" + dir.resolve("x.om"))).isEqualTo(2);

            assertThat(err.toString()).isEqualTo("crc-exporter: error: 2026-09-30..2026-12-01 needs 4 upstream requests"
                    + " (1 account(s) x 4 calendar months), more than --max-requests=3: shorten the range or raise"
                    + " --max-requests\n");
            assertThat(upstream.requests()).isEmpty();
        }
    }

    @Test
    void helpSaysWhyRequestsAreBoundedAndWhatOutputReplaces() {
        assertThat(run("backfill", "--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("--max-requests=N", "(default: 1000)", "per account and shared by every app",
                "A regular file is replaced once complete", "a symbolic link's target is replaced, not the link",
                "a pipe, a device or /dev/stdout is written straight into", "Exit 3");
    }
}
