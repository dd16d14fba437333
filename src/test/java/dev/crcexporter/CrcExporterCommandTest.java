package dev.crcexporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        assertThat(err.toString())
                .isEqualTo("crc-exporter: error: Unknown option: '--web.listen-adress=:9877' (see --help)\n");
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
        assertThat(run("--config.check", "--config.file=src/test/resources/config/invalid/capacity-negative.yml"))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: accounts[hq].capacity must be > 0 (got -5)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void configCheckReadsTheEnvironment() {
        assertThat(run(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET", "s", "CRC_ACCOUNT", "rooms"), "--config.check"))
                .isZero();
        assertThat(out.toString()).isEqualTo("configuration is valid: 1 account(s): rooms\n");
    }

    @Test
    void noConfigurationAtAllSaysWhatToDo() {
        assertThat(run("--config.check")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: no configuration: pass --config.file=FILE, set"
                + " CRC_API_KEY and CRC_API_SECRET (or CRC_API_SECRET_FILE), or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and"
                + " ZOOM_CLIENT_SECRET (or ZOOM_CLIENT_SECRET_FILE), or try --demo\n");
    }

    @Test
    void badListenAddressExitsTwo() {
        assertThat(run("--web.listen-address=9877", "--demo")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("crc-exporter: error: --web.listen-address must be host:port or :port (got \"9877\")\n");
    }

    @Test
    void telemetryPathMustBeAPath() {
        assertThat(run("--web.telemetry-path=metrics", "--demo")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: --web.telemetry-path must start with /");
    }

    // --- --shard and CRC_SHARD ---------------------------------------------------------------------------

    /** Six accounts; of 10 shards, shard 5 gets hq and apac (see ShardTest's table), shard 9 none. */
    private static Path sixAccounts(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("accounts:\n");
        for (String name : List.of("hq", "emea", "apac", "lab", "headquarters", "customer-0001")) {
            yaml.append("  - {name: ").append(name).append(", api_key: k, api_secret: s}\n");
        }
        return Files.writeString(dir.resolve("config.yml"), yaml);
    }

    @Test
    void configCheckWithAShardListsItsAccounts(@TempDir Path dir) throws IOException {
        assertThat(run("--config.check", "--config.file=" + sixAccounts(dir), "--shard=5/10")).isZero();
        assertThat(out.toString())
                .isEqualTo("configuration is valid: 6 account(s): hq,emea,apac,lab,headquarters,customer-0001\n"
                        + "shard 5/10: 2 of 6 account(s): hq,apac\n");
    }

    @Test
    void configCheckOfAnEmptyShardSaysSoAndIsValid(@TempDir Path dir) throws IOException {
        assertThat(run("--config.check", "--config.file=" + sixAccounts(dir), "--shard=9/10")).isZero();
        assertThat(out.toString()).endsWith("\nshard 9/10: 0 of 6 account(s)\n");
    }

    @Test
    void theShardComesFromCrcShardWhenTheFlagIsAbsent(@TempDir Path dir) throws IOException {
        assertThat(run(Map.of("CRC_SHARD", "5/10"), "--config.check", "--config.file=" + sixAccounts(dir))).isZero();
        assertThat(out.toString()).endsWith("\nshard 5/10: 2 of 6 account(s): hq,apac\n");
    }

    @Test
    void theFlagWinsOverCrcShardEvenWhenTheVariableIsBad(@TempDir Path dir) throws IOException {
        assertThat(run(Map.of("CRC_SHARD", "10/10"), "--config.check", "--config.file=" + sixAccounts(dir),
                "--shard=9/10"))
                .isZero();
        assertThat(out.toString()).endsWith("\nshard 9/10: 0 of 6 account(s)\n");
    }

    @Test
    void aBlankCrcShardMeansEveryAccount(@TempDir Path dir) throws IOException {
        assertThat(run(Map.of("CRC_SHARD", " "), "--config.check", "--config.file=" + sixAccounts(dir))).isZero();
        assertThat(out.toString())
                .isEqualTo("configuration is valid: 6 account(s): hq,emea,apac,lab,headquarters,customer-0001\n");
    }

    @Test
    void badShardValuesExitTwoWithOneLineNamingTheFlag(@TempDir Path dir) throws IOException {
        String config = "--config.file=" + sixAccounts(dir);
        Map<String, String> expected = Map.of(
                "10/10", "--shard: shard I must be less than N, shards are counted from 0 to N-1 (got \"10/10\")",
                "0/0", "--shard: the number of shards N must be at least 1 (got \"0/0\")",
                "three/10", "--shard must be I/N, shard I of N counted from 0 like StatefulSet pod ordinals, for"
                        + " example 0/3 (got \"three/10\")",
                "", "--shard must be I/N, shard I of N counted from 0 like StatefulSet pod ordinals, for example 0/3"
                        + " (got \"\")");
        for (Map.Entry<String, String> bad : expected.entrySet()) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(run("--config.check", config, "--shard=" + bad.getKey())).as(bad.getKey()).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("crc-exporter: error: " + bad.getValue() + "\n");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void aBadCrcShardExitsTwoNamingTheVariable(@TempDir Path dir) throws IOException {
        assertThat(run(Map.of("CRC_SHARD", "/3"), "--config.check", "--config.file=" + sixAccounts(dir))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("crc-exporter: error: CRC_SHARD must be I/N, shard I of N counted from 0"
                + " like StatefulSet pod ordinals, for example 0/3 (got \"/3\")\n");
    }

    @Test
    void aBadShardIsReportedBeforeTheConfigurationIsRead() {
        assertThat(run("--config.check", "--config.file=/nonexistent/config.yml", "--shard=3/3")).isEqualTo(2);
        assertThat(err.toString()).startsWith("crc-exporter: error: --shard: shard I must be less than N")
                .hasLineCount(1);
    }

    @Test
    void versionPrintsVersionAndJava() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("crc-exporter, version ")
                .contains("java " + System.getProperty("java.version"));
    }

    @Test
    void demoWithAConfigFileExitsTwoInsteadOfIgnoringTheFile() {
        int status = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run("--demo",
                "--config.file=src/test/resources/config/valid-minimal.yml", "--web.listen-address=127.0.0.1:0"));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "crc-exporter: error: --demo polls its own simulated accounts and cannot be combined with"
                        + " --config.file\n");
    }

    @Test
    void configCheckOfDemoWithAConfigFileFailsToo() {
        assertThat(run("--config.check", "--demo", "--config.file=src/test/resources/config/valid-minimal.yml"))
                .isEqualTo(2);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void telemetryPathWithRouterMarkersIsABadFlagNotAListenFailure() {
        for (String path : new String[] {"/metrics{", "/metrics/*", "/a/<b>", "/metrics?x", "/with space"}) {
            err.getBuffer().setLength(0);
            assertThat(run("--web.telemetry-path=" + path, "--demo", "--web.listen-address=127.0.0.1:0")).as(path)
                    .isEqualTo(2);
            assertThat(err.toString()).as(path).isEqualTo("crc-exporter: error: --web.telemetry-path may hold only"
                    + " letters, digits, / and -._~!$&'()+,;=:@% (got \"" + path + "\")\n");
        }
    }

    @Test
    void anAddressInUseSaysItCannotListen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();

            assertThat(run("--demo", "--web.listen-address=" + address)).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("crc-exporter: error: cannot listen on " + address
                    + ": address already in use\n");
        }
    }

    @Test
    void aStartFailureOtherThanListeningIsReportedAsWhatItIs() {
        assertThat(CrcExporterCommand.startFailure(":9877", new IllegalStateException("route table full")))
                .isEqualTo("cannot start: IllegalStateException route table full");
        assertThat(CrcExporterCommand.startFailure(":9877",
                new RuntimeException("wrapper", new BindException("Address already in use"))))
                .isEqualTo("cannot listen on :9877: address already in use");
        assertThat(CrcExporterCommand.startFailure("crc.invalid:9877", new RuntimeException("wrapper",
                new UnresolvedAddressException())))
                .isEqualTo("cannot listen on crc.invalid:9877: the host name cannot be resolved");
    }
}
