package dev.crcexporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class CrcExporterCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * Running the command configures logging for a real run (LogSetup resets logback's context), which would drop
     * logback-test.xml for every later test of this JVM: configure logback from the test file again.
     */
    @AfterAll
    static void restoreTestLogging() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
                .as("the console appender of logback-test.xml").isNotNull();
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = CrcExporterCommand.commandLine(env, Clock.systemUTC());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void unknownFlagExitsTwoWithOneLine() {
        assertThat(run("--web.listen-adress=:9877")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: Unknown option: '--web.listen-adress=:9877' (see --help)\n");
    }

    @Test
    void badLogLevelNamesTheChoices() {
        assertThat(run("--log.level=verbose")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: Invalid value for option '--log.level'")
                .contains("debug, info, warn, error").hasLineCount(1);
    }

    @Test
    void configCheckOfAValidFileExitsZero() {
        assertThat(run("--config.check", "--config.file=src/test/resources/config/valid-minimal.yml")).isZero();
        assertThat(out.toString()).isEqualTo("configuration is valid: 1 account(s): hq\n");
    }

    @Test
    void configCheckOfAnInvalidFileExitsTwoNamingTheField() {
        assertThat(run("--config.check", "--config.file=src/test/resources/config/invalid/capacity-negative.yml")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: accounts[hq].capacity must be > 0 (got -5)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void configCheckReadsTheEnvironment() {
        assertThat(run(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET", "s", "CRC_ACCOUNT", "rooms"), "--config.check")).isZero();
        assertThat(out.toString()).isEqualTo("configuration is valid: 1 account(s): rooms\n");
    }

    @Test
    void noConfigurationAtAllSaysWhatToDo() {
        assertThat(run("--config.check")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: no configuration: pass --config.file=FILE, set CRC_API_KEY"
                + " and CRC_API_SECRET (or CRC_API_SECRET_FILE), or try --demo\n");
    }

    @Test
    void badListenAddressExitsTwo() {
        assertThat(run("--web.listen-address=9877", "--demo")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: --web.listen-address must be host:port or :port (got \"9877\")\n");
    }

    @Test
    void telemetryPathMustBeAPath() {
        assertThat(run("--web.telemetry-path=metrics", "--demo")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: --web.telemetry-path must start with /");
    }

    @Test
    void versionPrintsVersionAndJava() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("crc-exporter, version ").contains("java " + System.getProperty("java.version"));
    }

    @Test
    void demoWithAConfigFileExitsTwoInsteadOfIgnoringTheFile() {
        int status = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run("--demo",
                "--config.file=src/test/resources/config/valid-minimal.yml", "--web.listen-address=127.0.0.1:0"));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "crc-exporter: error: --demo polls its own simulated accounts and cannot be combined with --config.file\n");
    }

    @Test
    void configCheckOfDemoWithAConfigFileFailsToo() {
        assertThat(run("--config.check", "--demo", "--config.file=src/test/resources/config/valid-minimal.yml")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void telemetryPathWithRouterMarkersIsABadFlagNotAListenFailure() {
        for (String path : new String[] {"/metrics{", "/metrics/*", "/a/<b>", "/metrics?x", "/with space"}) {
            err.getBuffer().setLength(0);
            assertThat(run("--web.telemetry-path=" + path, "--demo", "--web.listen-address=127.0.0.1:0")).as(path).isEqualTo(2);
            assertThat(err.toString()).as(path).isEqualTo("crc-exporter: error: --web.telemetry-path may hold only letters,"
                    + " digits, / and -._~!$&'()+,;=:@% (got \"" + path + "\")\n");
        }
    }

    @Test
    void anAddressInUseSaysItCannotListen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();

            assertThat(run("--demo", "--web.listen-address=" + address)).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("crc-exporter: error: cannot listen on " + address
                    + ": BindException Address already in use\n");
        }
    }

    @Test
    void aStartFailureOtherThanListeningIsReportedAsWhatItIs() {
        assertThat(CrcExporterCommand.startFailure(":9877", new IllegalStateException("route table full")))
                .isEqualTo("cannot start: IllegalStateException route table full");
        assertThat(CrcExporterCommand.startFailure(":9877",
                new RuntimeException("wrapper", new BindException("Address already in use"))))
                .isEqualTo("cannot listen on :9877: BindException Address already in use");
    }
}
