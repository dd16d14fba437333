package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.report.SmallDataSet;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.JarExporter;
import dev.crcexporter.testing.SpecialFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --output} of {@code backfill} and {@code report} pointed at what is not a regular file: a named pipe, device
 * nodes (copies of /dev/full and /dev/null made in the test's directory, never the machine's own), a symbolic link,
 * and {@code /dev/stdout} of the packaged jar. None is ever replaced by a file.
 */
class OutputTargetsIT {
    /** 2026-04-14 in every zone of the tests; the small data set covers 2026-03-21..2026-04-13. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-14T06:00:00Z"), ZoneOffset.UTC);
    private static final String RANGE_FROM = "--from=2026-04-01";
    private static final String RANGE_TO = "--to=2026-04-13";

    @TempDir
    Path dir;

    private FakeCrcApi upstream;
    private Path config;
    private final ExternalProcesses processes = new ExternalProcesses();

    private record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeCrcApi().account("key-hq", "secret-hq", SmallDataSet.days());
        config = Files.writeString(dir.resolve("config.yml"), "api_url: " + upstream.url()
                + "\ntimezone: Europe/Berlin\naccounts:\n"
                + "  - {name: hq, api_key: key-hq, api_secret: secret-hq, capacity: 10}\n");
    }

    @AfterEach
    void stop() {
        try (processes) {
            upstream.close();
        }
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CrcExporterCommand.commandLine(Map.of(), CLOCK);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of(args), Stream.of("--config.file=" + config, RANGE_FROM, RANGE_TO))
                .toArray(String[]::new);
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    void backfillIntoANamedPipeGivesItsReaderTheWholeFile() throws Exception {
        Run toFile = run("backfill", "--output=" + dir.resolve("crc.om"));
        assertThat(toFile.exitCode()).as(toFile.err()).isZero();
        Path fifo = SpecialFiles.fifo(dir.resolve("crc.pipe"));
        CompletableFuture<byte[]> read = SpecialFiles.readToEnd(fifo, Duration.ofSeconds(60));

        Run toPipe = run("backfill", "--output=" + fifo);

        assertThat(toPipe.exitCode()).as(toPipe.err()).isZero();
        assertThat(new String(read.get(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(dir.resolve("crc.om")))
                .endsWith("# EOF\n");
        assertThat(SpecialFiles.isFifo(fifo)).isTrue();
        assertThat(dir.resolve("crc.pipe.partial")).doesNotExist();
    }

    @Test
    void backfillIntoAFullDeviceIsExitThreeAndTheDeviceStays() throws Exception {
        Path full = SpecialFiles.characterDevice(dir.resolve("full"), 1, 7);

        Run run = run("backfill", "--output=" + full);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("crc-exporter: error: writing " + full + " failed, part of the output may have"
                + " been written: No space left on device");
        assertThat(SpecialFiles.isCharacterDevice(full, 1, 7)).isTrue();
        assertThat(dir.resolve("full.partial")).doesNotExist();
    }

    @Test
    void reportIntoANullDeviceSucceedsAndTheDeviceStays() throws Exception {
        Path nothing = SpecialFiles.characterDevice(dir.resolve("null"), 1, 3);

        Run run = run("report", "--format=csv", "--output=" + nothing);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(SpecialFiles.isCharacterDevice(nothing, 1, 3)).isTrue();
        assertThat(dir.resolve("null.partial")).doesNotExist();
    }

    @Test
    void reportThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink() throws Exception {
        Path target = Files.writeString(dir.resolve("latest.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("report.csv"), target.getFileName());

        Run run = run("report", "--format=csv", "--output=" + link);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).startsWith("account,");
    }

    @Test
    void reportOfTheJarIntoDevStdoutAppendsToTheFileItsStandardOutputAppendsTo() throws Exception {
        Path stdout = Files.writeString(dir.resolve("stdout.txt"), "kept line\n");
        ProcessBuilder jar = new ProcessBuilder("java", "@" + JarExporter.JVM_OPTIONS, "-jar",
                JarExporter.JAR.toString(), "report", "--config.file=" + config, "--from=2026-04-01",
                "--to=2026-04-01", "--format=csv", "--output=/dev/stdout")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(dir.resolve("stderr.txt").toFile());

        Process process = processes.start(jar);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("report finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
        assertThat(Files.readString(stdout)).startsWith("kept line\naccount,").contains("\nhq,");
    }
}
