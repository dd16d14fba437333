package dev.crcexporter.backfill;

import static dev.crcexporter.cli.UsageErrors.usageError;

import dev.crcexporter.cli.OutputFile;
import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.ConfigLoader;
import dev.crcexporter.config.Durations;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.history.RangeCheck;
import dev.crcexporter.upstream.UsageSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crc-exporter backfill --config.file=FILE --from=DATE --to=DATE --output=FILE [--step=60s]}: past days
 * of every account as an OpenMetrics file for {@code promtool tsdb create-blocks-from openmetrics}. Exit 0 when
 * every account was written, 1 when some failed (the others are in the file), 2 for bad flags or config (a range
 * past today or over {@code --max-requests} included, before any request), 3 when the output could not be written.
 */
@Command(name = "backfill", sortOptions = false,
        description = {"Writes past days of every account as OpenMetrics, for promtool.",
                "Fetches them from the accounts' usage API, a month per request. Turn the file into Prometheus blocks"
                        + " with promtool tsdb create-blocks-from openmetrics FILE DIR."})
public final class BackfillCommand implements Callable<Integer> {
    /** Some accounts failed and were skipped; the others are in the output. */
    private static final int EXIT_ACCOUNT_FAILED = 1;
    /** The output could not be written: nothing was kept. */
    private static final int EXIT_OUTPUT_FAILED = 3;

    @Option(names = "--config.file", paramLabel = "FILE",
            description = "YAML configuration (optional when CRC_* or ZOOM_* variables are set).")
    Path configFile;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "First day, inclusive, in the configured time zone.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Last day, inclusive, in the configured time zone.")
    LocalDate to;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = {"OpenMetrics file to write; with"
            + " --split-by-day a directory. A regular file is replaced once complete (through FILE.partial and a"
            + " rename; a symbolic link's target is replaced, not the link); a pipe, a device or /dev/stdout is written"
            + " straight into. Exit 3 when it cannot be written."})
    Path output;

    @Option(names = "--split-by-day", description = "Write one file per day, DIR/crc-YYYY-MM-DD.om: promtool reads a"
            + " file once per 2h block it covers, so long ranges are much faster in day files.")
    boolean splitByDay;

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "60s",
            description = "Interval between samples within each hour, 1s..1h (default: ${DEFAULT-VALUE}).")
    String step;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "" + RangeCheck.DEFAULT_MAX_REQUESTS,
            description = RangeCheck.MAX_REQUESTS_HELP)
    int maxRequests;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Clock clock;

    public BackfillCommand(Map<String, String> environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (from.isAfter(to)) {
            return usageError(err, "--from (" + from + ") must not be after --to (" + to + ")");
        }
        Duration stepDuration;
        try {
            stepDuration = Durations.parse(step);
        } catch (IllegalArgumentException e) {
            return usageError(err, "--step is not a duration like 30s, 1m or 5m (got \"" + step + "\")");
        }
        if (stepDuration.isZero() || stepDuration.toMillis() % 1000 != 0
                || stepDuration.compareTo(Duration.ofHours(1)) > 0) {
            return usageError(err, "--step must be whole seconds between 1s and 1h (got \"" + step + "\")");
        }
        ExporterConfig config;
        try {
            config = ConfigLoader.fromFileOrEnvironment(configFile, environment);
        } catch (ConfigException e) {
            return usageError(err, e.getMessage());
        }
        Optional<String> refusal = RangeCheck.refusal(config, config.accounts(), from, to, maxRequests, clock);
        if (refusal.isPresent()) {
            return usageError(err, refusal.get());
        }
        OutputFiles output;
        try {
            output = splitByDay ? new DayFiles(this.output) : new OneFile(this.output);
        } catch (IOException | RuntimeException e) {
            return usageError(err, "--output cannot be written: " + this.output + " ("
                    + e.getClass().getSimpleName() + ")");
        }

        long started = System.nanoTime();
        UsageSources sources = new UsageSources(config, clock);
        Backfill backfill = new Backfill(config, sources, clock, stepDuration, err, d -> Thread.sleep(d.toMillis()));
        Backfill.Result result;
        try {
            result = backfill.run(from, to, output);
            output.commit();
        } catch (IOException e) {
            output.abandon();
            err.println("crc-exporter: error: writing " + this.output + " failed, " + output.afterFailure() + ": "
                    + e.getMessage());
            err.flush();
            return EXIT_OUTPUT_FAILED;
        } catch (InterruptedException | RuntimeException e) {
            output.abandon();
            throw e;
        } finally {
            sources.close();
        }
        err.printf("backfill: wrote %d samples of %d of %d accounts (%s..%s, step %s, %d requests) to %s in %.1fs%s%n",
                result.samples(), result.accounts().size(), config.accounts().size(), from, to,
                Durations.format(stepDuration), result.requests(), output.describe(),
                (System.nanoTime() - started) / 1e9,
                result.failed().isEmpty() ? "" : "; FAILED accounts: " + String.join(", ", result.failed().keySet()));
        err.flush();
        return result.failed().isEmpty() ? 0 : EXIT_ACCOUNT_FAILED;
    }

    /** The output of a run: one file, or a file per day; each written as {@link OutputFile} says. */
    private interface OutputFiles extends BackfillOutput {
        void commit() throws IOException;

        void abandon();

        String describe();

        /** What a failed run left behind, for its message. */
        String afterFailure();
    }

    private static final class OneFile implements OutputFiles {
        private final OutputFile file;

        OneFile(Path path) throws IOException {
            this.file = OutputFile.open(path);
        }

        @Override
        public Writer forDay(LocalDate day) {
            return file.writer();
        }

        @Override
        public void commit() throws IOException {
            file.commit();
        }

        @Override
        public void abandon() {
            file.abandon();
        }

        @Override
        public String describe() {
            return file.target().toString();
        }

        @Override
        public String afterFailure() {
            return file.afterFailure();
        }
    }

    private static final class DayFiles implements OutputFiles {
        private final Path directory;
        private final Map<LocalDate, OutputFile> open = new TreeMap<>();

        DayFiles(Path directory) throws IOException {
            this.directory = java.nio.file.Files.createDirectories(directory.toAbsolutePath());
        }

        @Override
        public Writer forDay(LocalDate day) throws IOException {
            OutputFile file = open.get(day);
            if (file == null) {
                file = OutputFile.open(directory.resolve("crc-" + day + ".om"));
                open.put(day, file);
            }
            return file.writer();
        }

        @Override
        public void commit() throws IOException {
            for (OutputFile file : open.values()) {
                file.commit();
            }
        }

        @Override
        public void abandon() {
            open.values().forEach(OutputFile::abandon);
        }

        @Override
        public String describe() {
            return open.size() + " day files in " + directory;
        }

        @Override
        public String afterFailure() {
            return open.values().stream().anyMatch(OutputFile::direct) ? "part of the output may have been written"
                    : "nothing was kept";
        }
    }

    /** YYYY-MM-DD, with a message that says so. */
    public static final class DateConverter implements CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("not a date YYYY-MM-DD (got \"" + value + "\")");
            }
        }
    }
}
