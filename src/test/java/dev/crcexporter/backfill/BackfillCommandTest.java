package dev.crcexporter.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.CrcExporterCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BackfillCommandTest {
    private static final String CONFIG = "--config.file=src/test/resources/config/valid-minimal.yml";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = CrcExporterCommand.commandLine(Map.of(), Clock.systemUTC());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aMissingFlagIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: Missing required option: '--to=YYYY-MM-DD' (see --help)\n");
    }

    @Test
    void fromAfterToIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-02", "--to=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: --from (2026-01-02) must not be after --to (2026-01-01)\n");
    }

    @Test
    void aBadDateNamesTheFlagAndTheFormat() {
        assertThat(run("backfill", CONFIG, "--from=2026-13-01", "--to=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Invalid value for option '--from'")
                .contains("not a date YYYY-MM-DD (got \"2026-13-01\")").hasLineCount(1);
    }

    @Test
    void aBadStepIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-01", "--to=2026-01-01", "--output=x.om", "--step=2h")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: --step must be whole seconds between 1s and 1h (got \"2h\")\n");
    }

    @Test
    void aBadConfigNamesTheField() {
        assertThat(run("backfill", "--config.file=src/test/resources/config/invalid/capacity-negative.yml",
                "--from=2026-01-01", "--to=2026-01-01", "--output=x.om")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: accounts[hq].capacity must be > 0 (got -5)\n");
    }

    @Test
    void anUnknownFlagOfTheSubcommandIsAUsageError() {
        assertThat(run("backfill", CONFIG, "--from=2026-01-01", "--to=2026-01-01", "--output=x.om", "--form=2026-01-01")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Unknown option: '--form=2026-01-01'").hasLineCount(1);
    }
}
