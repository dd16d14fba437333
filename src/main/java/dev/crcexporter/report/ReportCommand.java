package dev.crcexporter.report;

import static dev.crcexporter.cli.UsageErrors.usageError;

import dev.crcexporter.backfill.BackfillCommand.DateConverter;
import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.capacity.RecommendationRule;
import dev.crcexporter.cli.OutputFile;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.ConfigLoader;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.demo.DemoMode;
import dev.crcexporter.history.HistoryFetcher;
import dev.crcexporter.history.RangeCheck;
import dev.crcexporter.report.CapacityReport.FailedAccount;
import dev.crcexporter.upstream.RetryPolicy;
import dev.crcexporter.upstream.UsageSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crc-exporter report}: how many ports each account needs, from months of hourly peaks. Exit 0 when every
 * account is in the report, 1 when some failed (they are listed in it), 2 for bad flags or config, 3 when the
 * output could not be written (nothing is kept).
 */
@Command(name = "report", sortOptions = false,
        description = {"Tells how many CRC ports each account needs, from past months.",
                "Fetches months of hourly peaks of every account and reports the highest peak, percentiles of daily"
                        + " peaks, hours near and at capacity, the weekly trend and how many ports to buy for the"
                        + " next months."})
public final class ReportCommand implements Callable<Integer> {
    private static final int EXIT_ACCOUNT_FAILED = 1;
    private static final int EXIT_OUTPUT_FAILED = 3;

    @Option(names = "--config.file", paramLabel = "FILE",
            description = "YAML configuration (optional when CRC_* or ZOOM_* variables are set).")
    Path configFile;

    @Option(names = "--demo", description = "Report on the built-in simulated API's accounts; no credentials needed.")
    boolean demo;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "First day, inclusive, in the configured time zone (default: 90 days before --to).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Last day, inclusive (default: yesterday).")
    LocalDate to;

    @Option(names = "--accounts", paramLabel = "NAME[,NAME...]", hideParamSyntax = true, split = ",",
            description = "Only these accounts (default: all).")
    List<String> accounts;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, csv, json or html (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--output", paramLabel = "FILE", description = {"File to write (default: standard output). A"
            + " regular file is replaced once complete (through FILE.partial and a rename; a symbolic link's target is"
            + " replaced, not the link); a pipe, a device or /dev/stdout is written straight into. Exit 3 when it"
            + " cannot be written."})
    Path output;

    @Option(names = "--business-hours", paramLabel = "HH-HH",
            description = "Count only these local hours, for example 08-18 (08:00 to 18:00); default: all.")
    String businessHours;

    @Option(names = "--business-days", paramLabel = "DAYS",
            description = "Count only these weekdays, for example Mon-Fri or Mon,Wed,Fri; default: all.")
    String businessDays;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99",
            description = "Recommend ports for all but the busiest (100 - P) percent of hours"
                    + " (default: ${DEFAULT-VALUE}).")
    BigDecimal percentile;

    @Option(names = "--headroom", paramLabel = "PERCENT", defaultValue = "10",
            description = "Headroom added to that percentile, in percent (default: ${DEFAULT-VALUE}).")
    BigDecimal headroom;

    @Option(names = "--horizon", paramLabel = "MONTHS", defaultValue = "12",
            description = {"Recommend for demand through this many months at the weekly trend, never less than today's"
                    + " (default: ${DEFAULT-VALUE}; 0: today's demand only)."})
    int horizon;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "" + RangeCheck.DEFAULT_MAX_REQUESTS,
            description = RangeCheck.MAX_REQUESTS_HELP)
    int maxRequests;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Clock clock;

    public ReportCommand(Map<String, String> environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (demo && configFile != null) {
            return usageError(err, "--demo reports on its own simulated accounts and cannot be combined"
                    + " with --config.file");
        }
        HourSelection selection = HourSelection.ALL;
        try {
            selection = businessHours == null ? selection : HourSelection.withHours(selection, businessHours);
            selection = businessDays == null ? selection : HourSelection.withDays(selection, businessDays);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        try (DemoMode demoMode = demo ? DemoMode.start(clock) : null) {
            ExporterConfig config;
            try {
                config = demoMode != null ? demoMode.config()
                        : ConfigLoader.fromFileOrEnvironment(configFile, environment);
            } catch (ConfigException e) {
                return usageError(err, e.getMessage());
            }
            List<AccountConfig> chosen;
            ReportOptions options;
            try {
                chosen = chosenAccounts(config);
                options = options(config, selection);
            } catch (IllegalArgumentException e) {
                return usageError(err, e.getMessage());
            }
            Optional<String> refusal = RangeCheck.refusal(config, chosen, options.from(), options.to(), maxRequests,
                    clock);
            if (refusal.isPresent()) {
                return usageError(err, refusal.get());
            }
            return run(config, chosen, options, err);
        }
    }

    private int run(ExporterConfig config, List<AccountConfig> chosen, ReportOptions options, PrintWriter err)
            throws InterruptedException {
        OutputFile file;
        try {
            file = output == null ? null : OutputFile.open(output);
        } catch (IOException | RuntimeException e) {
            return usageError(err, "--output cannot be written: " + output + " (" + e.getClass().getSimpleName() + ")");
        }
        Writer out = file == null ? spec.commandLine().getOut() : file.writer();
        long started = System.nanoTime();
        HistoryFetcher fetcher;
        CapacityReport report;
        try (UsageSources sources = new UsageSources(config, clock)) {
            fetcher = new HistoryFetcher(sources, new RetryPolicy(config.retry()), d -> Thread.sleep(d.toMillis()),
                    line -> progress(err, line));
            report = new CapacityReporter(config, fetcher, clock, line -> progress(err, line)).run(chosen, options);
        } catch (InterruptedException | RuntimeException e) {
            if (file != null) {
                file.abandon();
            }
            throw e;
        }
        try {
            format.write(report, out);
            if (file != null) {
                file.commit();
            }
        } catch (IOException e) {
            if (file != null) {
                file.abandon();
            }
            String kept = file == null ? "part of it may have been written" : file.afterFailure();
            err.println("crc-exporter: error: writing " + (output == null ? "the report" : output) + " failed, " + kept
                    + ": " + e.getMessage());
            err.flush();
            return EXIT_OUTPUT_FAILED;
        }
        List<String> failed = report.failed().stream().map(FailedAccount::account).toList();
        progress(err, String.format(Locale.ROOT, "%d of %d accounts, %s..%s, %d requests, %.1fs, %s to %s%s",
                chosen.size() - failed.size(), chosen.size(), options.from(), options.to(), fetcher.requests(),
                (System.nanoTime() - started) / 1e9,
                format.name().toLowerCase(Locale.ROOT), output == null ? "standard output" : output,
                failed.isEmpty() ? "" : "; FAILED accounts: " + String.join(", ", failed)));
        return failed.isEmpty() ? 0 : EXIT_ACCOUNT_FAILED;
    }

    private List<AccountConfig> chosenAccounts(ExporterConfig config) {
        if (accounts == null || accounts.isEmpty()) {
            return config.accounts();
        }
        List<AccountConfig> chosen = new ArrayList<>();
        for (String name : accounts) {
            AccountConfig account = config.accounts().stream().filter(a -> a.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--accounts names an account that is not"
                            + " configured: \"" + name + "\" (configured: "
                            + config.accounts().stream().map(AccountConfig::name)
                            .collect(Collectors.joining(", ")) + ")"));
            if (!chosen.contains(account)) {
                chosen.add(account);
            }
        }
        return chosen;
    }

    /** The period: by default the 90 days up to yesterday, in the configured zone. */
    private ReportOptions options(ExporterConfig config, HourSelection selection) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), config.timezone());
        LocalDate last = to != null ? to : today.minusDays(1);
        LocalDate first = from != null ? from : last.minusDays(ReportOptions.DEFAULT_DAYS - 1);
        return new ReportOptions(first, last, new RecommendationRule(percentile, headroom, selection, horizon));
    }

    private static void progress(PrintWriter err, String line) {
        err.println("report: " + line);
        err.flush();
    }
}
