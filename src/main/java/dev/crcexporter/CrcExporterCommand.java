package dev.crcexporter;

import static dev.crcexporter.cli.UsageErrors.EXIT_USAGE;
import static dev.crcexporter.cli.UsageErrors.usageError;

import dev.crcexporter.backfill.BackfillCommand;
import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.cli.UsageHelp;
import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.ConfigLoader;
import dev.crcexporter.config.Durations;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.Shard;
import dev.crcexporter.demo.DemoMode;
import dev.crcexporter.log.LogSetup.LogFormat;
import dev.crcexporter.log.LogSetup.LogLevel;
import dev.crcexporter.log.LogSetup;
import dev.crcexporter.reload.ConfigReloader;
import dev.crcexporter.reload.ReloadSignal;
import dev.crcexporter.report.ReportCommand;
import dev.crcexporter.web.ScrapeMemory;
import dev.crcexporter.web.toolkit.ListenAddress;
import dev.crcexporter.web.toolkit.WebConfig;
import dev.crcexporter.web.toolkit.WebConfigLoader;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The command line: flags as Prometheus exporters name them; exit 2 with one line for bad flags or config. */
@Command(name = "crc-exporter", sortOptions = false, versionProvider = CrcExporterCommand.Version.class,
        description = "Exports Cloud Room Connector (CRC) port usage to Prometheus.")
public final class CrcExporterCommand implements Callable<Integer> {
    /** RFC 3986 path characters, without the router's parameter and wildcard markers. */
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9/._~!$&'()+,;=:@%-]+");
    /** The environment's form of {@code --shard}; the flag wins when both are given. */
    public static final String SHARD_VARIABLE = "CRC_SHARD";

    @Option(names = "--config.file", paramLabel = "FILE",
            description = "YAML configuration (optional when CRC_* or ZOOM_* variables are set).")
    Path configFile;

    @Option(names = "--web.listen-address", paramLabel = "ADDR", defaultValue = ":9877",
            description = "Where to listen: host:port, or :port on every interface (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--web.telemetry-path", paramLabel = "PATH", defaultValue = "/metrics",
            description = "Path under which to expose metrics (default: ${DEFAULT-VALUE}).")
    String telemetryPath;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "TLS and basic auth configuration (exporter-toolkit format).")
    Path webConfigFile;

    @Option(names = "--log.level", paramLabel = "LEVEL", defaultValue = "info",
            description = "debug, info, warn or error (default: ${DEFAULT-VALUE}).")
    LogLevel logLevel;

    @Option(names = "--log.format", paramLabel = "FORMAT", defaultValue = "logfmt",
            description = "logfmt or json (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Option(names = "--config.check",
            description = "Validate the configuration, print the result and exit (0 valid, 2 invalid).")
    boolean configCheck;

    @Option(names = "--demo", description = "Poll built-in simulated APIs (the CRC usage API and Zoom's) on loopback;"
            + " no credentials needed.")
    boolean demo;

    @Option(names = "--shard", paramLabel = "I/N", description = "Poll and expose only shard I of N of the accounts"
            + " (I counted from 0, like StatefulSet pod ordinals; stable hash of the account name)."
            + " Overrides CRC_SHARD.")
    String shard;

    @Option(names = "--collector.hourly", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Expose crc_ports_max_usage and crc_ports_total_usage by date and hour: 96 of the 113"
                    + " series of an account (default: on). --no-collector.hourly leaves them out, for large fleets.")
    boolean hourly;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Clock clock;

    CrcExporterCommand(Map<String, String> environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    public static CommandLine commandLine(Map<String, String> environment, Clock clock) {
        CommandLine cli = new CommandLine(new CrcExporterCommand(environment, clock));
        cli.addSubcommand("backfill", new BackfillCommand(environment, clock));
        cli.addSubcommand("report", new ReportCommand(environment, clock));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // --[no-]collector.hourly, as node_exporter names its collector flags: picocli's own negation stops at the dot.
        cli.setNegatableOptionTransformer(
                new CommandLine.RegexTransformer.Builder(CommandLine.RegexTransformer.createDefault())
                        .addPattern("^--(\\w[\\w.-]*)$", "--no-$1", "--[no-]$1").build());
        UsageHelp.apply(cli);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("crc-exporter: error: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        });
        return cli;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (!telemetryPath.startsWith("/") || telemetryPath.length() < 2 || telemetryPath.startsWith("/-/")) {
            return usageError(err, "--web.telemetry-path must start with / and not be / or under /-/ (got \""
                    + telemetryPath + "\")");
        }
        if (!PLAIN_PATH.matcher(telemetryPath).matches()) {
            // The router reads {name}, <name> and * as parameters and wildcards: "/metrics{" would fail to start,
            // "/metrics/*" would answer on every path below it.
            return usageError(err, "--web.telemetry-path may hold only letters, digits, / and -._~!$&'()+,;=:@%"
                    + " (got \"" + telemetryPath + "\")");
        }
        if (demo && configFile != null) {
            return usageError(err, "--demo polls its own simulated accounts and cannot be combined with --config.file");
        }
        ListenAddress listen;
        try {
            listen = ListenAddress.parse(listenAddress);
        } catch (IllegalArgumentException e) {
            return usageError(err, "--web.listen-address " + e.getMessage());
        }
        Optional<Shard> servedShard;
        try {
            servedShard = servedShard();
        } catch (ConfigException e) {
            return usageError(err, e.getMessage());
        }
        LogSetup.configure(logLevel, logFormat);
        Logger log = LoggerFactory.getLogger(CrcExporterCommand.class);

        WebConfig webConfig = WebConfig.NONE;
        if (webConfigFile != null) {
            try {
                webConfig = WebConfigLoader.load(webConfigFile);
            } catch (ConfigException e) {
                return usageError(err, e.getMessage());
            }
        }

        DemoMode demoMode = demo ? DemoMode.start(clock) : null;
        ExporterConfig loaded;
        try {
            loaded = demoMode != null ? demoMode.config() : loadConfig();
        } catch (ConfigException e) {
            return usageError(err, e.getMessage());
        }
        ExporterConfig config = servedShard.map(s -> s.select(loaded)).orElse(loaded);
        String accountNames = names(config);
        // Before anything starts (and in --config.check): an exporter whose scrapes would not fit its heap would die at
        // the first large one.
        Optional<String> tooLarge = ScrapeMemory.refusal(config.accounts().size(), hourly,
                Runtime.getRuntime().maxMemory());
        if (tooLarge.isPresent()) {
            if (demoMode != null) demoMode.close();
            return usageError(err, tooLarge.get());
        }
        if (configCheck) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("configuration is valid: " + loaded.accounts().size() + " account(s): " + names(loaded));
            servedShard.ifPresent(s -> out.println("shard " + s + ": " + config.accounts().size() + " of "
                    + loaded.accounts().size() + " account(s)" + (accountNames.isEmpty() ? "" : ": " + accountNames)));
            out.flush();
            if (demoMode != null) demoMode.close();
            return 0;
        }

        Exporter exporter;
        try {
            // A reload reads both files again (or the environment and its secret files); the demo's accounts stay.
            ConfigReloader.ConfigSource configSource = demoMode != null ? demoMode::config : this::loadConfig;
            ConfigReloader.WebConfigSource webSource = webConfigFile == null ? () -> WebConfig.NONE
                    : () -> WebConfigLoader.load(webConfigFile);
            exporter = Exporter.start(config, listen, webConfig, telemetryPath, clock, servedShard, hourly,
                    configSource, webSource);
        } catch (RuntimeException e) {
            err.println("crc-exporter: error: " + startFailure(listenAddress, e));
            err.flush();
            if (demoMode != null) demoMode.close();
            return 1;
        }
        // Before "started": whoever waits for that line (systemd, tests) may send SIGHUP at once.
        ReloadSignal.install(exporter::reload);
        log.atInfo().setMessage("crc-exporter started")
                .addKeyValue("version", BuildInfo.load().version())
                .addKeyValue("address", listenAddress + " (port " + exporter.port() + ")")
                .addKeyValue("metrics_path", telemetryPath)
                .addKeyValue("accounts", accountNames)
                .addKeyValue("shard", servedShard.map(Shard::toString).orElse("none"))
                .addKeyValue("hourly_series", hourly)
                .addKeyValue("poll_interval", Durations.format(config.pollInterval()))
                .addKeyValue("timezone", config.timezone())
                .addKeyValue("tls", webConfig.tls().isPresent())
                .addKeyValue("basic_auth", !webConfig.basicAuthUsers().isEmpty())
                .addKeyValue("demo", demo)
                .log();
        if (servedShard.isPresent() && config.accounts().isEmpty()) {
            log.atWarn().setMessage("this shard has no accounts: none of the configured accounts hashes to it")
                    .addKeyValue("shard", servedShard.get())
                    .addKeyValue("configured_accounts", loaded.accounts().size()).log();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            exporter.close();
            if (demoMode != null) demoMode.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** {@code --shard}, else {@code CRC_SHARD} (unset or blank: every account). */
    private Optional<Shard> servedShard() throws ConfigException {
        if (shard != null) {
            return Optional.of(Shard.parse(shard, "--shard"));
        }
        String fromEnvironment = environment.get(SHARD_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank() ? Optional.empty()
                : Optional.of(Shard.parse(fromEnvironment, SHARD_VARIABLE));
    }

    private static String names(ExporterConfig config) {
        return config.accounts().stream().map(a -> a.name()).collect(Collectors.joining(","));
    }

    private ExporterConfig loadConfig() throws ConfigException {
        return ConfigLoader.fromFileOrEnvironment(configFile, environment);
    }

    /**
     * What failed at start-up, in one line: the listen address and why it cannot be used (in use, not local, not
     * resolvable), in the system's words; otherwise whatever else failed, by its own name.
     */
    static String startFailure(String listenAddress, Throwable failure) {
        boolean listening = false;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            listening |= t instanceof JavalinBindException || t instanceof SocketException
                    || t instanceof UnresolvedAddressException;
            root = t;
        }
        if (!listening) {
            return "cannot start: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : " " + root.getMessage());
        }
        String why = root instanceof UnresolvedAddressException ? "the host name cannot be resolved"
                : root.getMessage() == null ? "the address cannot be used" : root.getMessage();
        return "cannot listen on " + listenAddress + ": " + Character.toLowerCase(why.charAt(0)) + why.substring(1);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo info = BuildInfo.load();
            return new String[] {"crc-exporter, version " + info.version() + " (revision " + info.revision()
                    + ", java " + info.javaVersion() + ")"};
        }
    }
}
