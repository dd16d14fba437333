package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.crcexporter.testing.LogCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    private static final Path INVALID = Path.of("src/test/resources/config/invalid");
    private static final String UNREADABLE = "${unreadable}";

    static Stream<Arguments> invalidConfigs() throws IOException {
        List<String> lines = Files.readAllLines(INVALID.resolve("expected-messages.tsv"));
        return lines.stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t", 2))
                .map(parts -> Arguments.of(parts[0], parts[1]));
    }

    /**
     * Each file with its exact message. A file that names {@code ${unreadable}} is loaded from a copy that names a
     * secret file nobody may read; root reads it all the same, so that row is skipped when running as root.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void invalidConfigIsRejectedWithItsExactMessage(String file, String expectedMessage, @TempDir Path dir)
            throws IOException {
        Path config = INVALID.resolve(file);
        String text = Files.readString(config);
        if (text.contains(UNREADABLE)) {
            Path unreadable = Files.writeString(dir.resolve("unreadable-secret"), "secret\n");
            Files.setPosixFilePermissions(unreadable, Set.of());
            assumeFalse(Files.isReadable(unreadable), "file permissions do not apply to this user (root)");
            config = Files.writeString(dir.resolve(file), text.replace(UNREADABLE, unreadable.toString()));
            expectedMessage = expectedMessage.replace(UNREADABLE, unreadable.toString());
        }
        Path loaded = config;
        assertThatThrownBy(() -> ConfigLoader.load(loaded))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expectedMessage.replace("${file}", loaded.toString()));
    }

    @Test
    void everyInvalidConfigFileHasAnExpectedMessage() throws IOException {
        List<String> listed = invalidConfigs().map(a -> (String) a.get()[0]).toList();
        try (Stream<Path> files = Files.list(INVALID)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")))
                    .containsExactlyInAnyOrderElementsOf(listed);
        }
    }

    @Test
    void messagesOfBrokenYamlDoNotQuoteTheSecret() {
        assertThatThrownBy(() -> ConfigLoader.load(INVALID.resolve("yaml-malformed.yml")))
                .hasMessageNotContaining("secret-in-broken-line");
    }

    @Test
    void minimalConfigGetsTheDocumentedDefaults() throws ConfigException {
        ExporterConfig config = ConfigLoader.load(Path.of("src/test/resources/config/valid-minimal.yml"));

        assertThat(config.apiUrl()).isEqualTo(URI.create("https://api.systeccloud.com/umeeting/share/crcUsage"));
        assertThat(config.method()).isEqualTo(RequestMethod.POST);
        assertThat(config.timezone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retry()).isEqualTo(RetryConfig.DEFAULT);
        assertThat(config.accounts()).singleElement().satisfies(account -> {
            assertThat(account.name()).isEqualTo("hq");
            assertThat(account.credentials()).isEqualTo(new Credentials.Systec("key-hq", new Secret("secret-hq")));
            assertThat(account.capacity()).isEmpty();
        });
    }

    @Test
    void everyKeyIsReadAndTheSecretFileLosesItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("branch-secret"), "from-file-secret\n");
        String yaml = Files.readString(Path.of("src/test/resources/config/valid-full.yml"))
                .replace("SECRET_FILE_PLACEHOLDER", secretFile.toString());

        ExporterConfig config = ConfigLoader.parse(yaml, "valid-full.yml");

        assertThat(config.apiUrl()).isEqualTo(URI.create("https://api.systeccloud.com/umeeting/metrics/crcUsage"));
        assertThat(config.method()).isEqualTo(RequestMethod.GET);
        assertThat(config.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.concurrency()).isEqualTo(4);
        assertThat(config.retry()).isEqualTo(new RetryConfig(5, Duration.ofSeconds(2), Duration.ofSeconds(30)));
        assertThat(config.accounts()).extracting(AccountConfig::name).containsExactly("hq", "branch.sh-2");
        assertThat(config.accounts().get(0).capacity()).isEqualTo(OptionalInt.of(40));
        assertThat(systec(config, 1).apiSecret().reveal()).isEqualTo("from-file-secret");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/crc.yml")))
                .hasMessage("config file /nonexistent/crc.yml cannot be read: no such file");
    }

    @Test
    void aFleetOfTwentyThousandAccountsFitsInOneFile(@TempDir Path dir) throws Exception {
        // Every shard of a fleet reads the same file: its size bound must not be what limits the fleet.
        StringBuilder yaml = new StringBuilder("api_url: https://api.example.test/crc\naccounts:\n");
        for (int i = 0; i < 20_000; i++) {
            yaml.append("  - {name: customer-").append(i).append(", api_key: key-").append(i)
                    .append(", api_secret: secret-of-customer-").append(i).append(", capacity: 40}\n");
        }
        Path file = Files.writeString(dir.resolve("fleet.yml"), yaml);
        assertThat(Files.size(file)).isGreaterThan(1024 * 1024);
        assertThat(ConfigLoader.load(file).accounts()).hasSize(20_000);
    }

    @Test
    void configFileOverTheLimitIsRejectedNamingIt(@TempDir Path dir) throws Exception {
        // One long value, as the YAML parser would take quadratic time over (8 MB: 27 s).
        Path file = Files.writeString(dir.resolve("huge.yml"), "accounts:\n  - name: hq\n    api_key: \""
                + "k".repeat(BoundedFiles.MAX_CONFIG_BYTES) + "\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage("config file " + file + " is larger than 4 MiB");
    }

    @Test
    void endlessDeviceAsConfigIsRejectedWithoutReadingItAll() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/dev/zero")))
                .hasMessage("config file /dev/zero is larger than 4 MiB");
    }

    @Test
    void configThatIsNotUtf8IsRejectedNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("latin1.yml"),
                "accounts: [{name: caf\u00e9}]\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage("config file " + file + " is not UTF-8 text");
    }

    @Test
    void secretFileIsReadWithoutByteOrderMarkAndWhiteSpace(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("s"), "\uFEFF  file-secret \r\n");
        ExporterConfig config = ConfigLoader.fromEnvironment(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET_FILE",
                secret.toString()));

        assertThat(systec(config, 0).apiSecret().reveal()).isEqualTo("file-secret");
    }

    @Test
    void environmentRejectsBlankSecretsAndUserInfoInTheUrl(@TempDir Path dir) throws Exception {
        Path blank = Files.writeString(dir.resolve("blank"), " \n");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET_FILE",
                blank.toString())))
                .hasMessageStartingWith("CRC_API_SECRET_FILE " + blank + " is empty");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET", "  ")))
                .hasMessage("CRC_API_SECRET is empty or only white space");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET", "s",
                "CRC_API_URL", "https://me:hunter2@crc.example.com/crc")))
                .hasMessage("CRC_API_URL must not hold user:password@ (got \"https://***@crc.example.com/crc\")");
    }

    @Test
    void environmentGivesOneAccountNamedDefault() throws ConfigException {
        ExporterConfig config = ConfigLoader.fromEnvironment(Map.of(
                "CRC_API_KEY", "k", "CRC_API_SECRET", "s", "CRC_CAPACITY", "12",
                "CRC_API_URL", "http://127.0.0.1:8080/crc", "CRC_POLL_INTERVAL", "1m", "CRC_TIMEZONE", "UTC"));

        assertThat(config.accounts()).singleElement().satisfies(account -> {
            assertThat(account.name()).isEqualTo("default");
            assertThat(account.capacity()).isEqualTo(OptionalInt.of(12));
        });
        assertThat(config.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:8080/crc"));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.timezone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void environmentSecretFileAndAccountName(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("s"), "file-secret\r\n");
        ExporterConfig config = ConfigLoader.fromEnvironment(Map.of(
                "CRC_API_KEY", "k", "CRC_API_SECRET_FILE", secret.toString(), "CRC_ACCOUNT", "room-systems"));

        assertThat(config.accounts().get(0).name()).isEqualTo("room-systems");
        assertThat(systec(config, 0).apiSecret().reveal()).isEqualTo("file-secret");
    }

    @Test
    void environmentErrorsNameTheVariable() {
        Map<String, String> env = new HashMap<>(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET", "s"));
        env.put("CRC_CAPACITY", "-3");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(env)).hasMessage("CRC_CAPACITY must be > 0 (got -3)");
        env.put("CRC_CAPACITY", "many");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(env))
                .hasMessage("CRC_CAPACITY must be an integer (got \"many\")");
        env.remove("CRC_CAPACITY");
        env.put("CRC_TIMEZONE", "Nowhere/City");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(env))
                .hasMessage("CRC_TIMEZONE is not a known time zone (got \"Nowhere/City\")");
        env.remove("CRC_TIMEZONE");
        env.remove("CRC_API_SECRET");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(env))
                .hasMessage("set CRC_API_SECRET or CRC_API_SECRET_FILE");
    }

    @Test
    void zoomAccountsReadTheirCredentialsZoneAndTheZoomBlock(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("emea"), "\uFEFF zoom-file-secret\n");
        ExporterConfig config = ConfigLoader.parse("""
                timezone: Asia/Shanghai
                zoom:
                  api_url: https://api.zoomgov.com/v2/metrics/crc
                  oauth_url: https://zoomgov.com/oauth/token
                accounts:
                  - name: hq
                    api_key: key-hq
                    api_secret: secret-hq
                  - name: emea
                    source: zoom
                    account_id: " acct-emea "
                    client_id: client-emea
                    client_secret_file: %s
                    capacity: 24
                    timezone: Europe/Berlin
                  - name: apac
                    source: ZOOM
                    account_id: acct-apac
                    client_id: client-apac
                    client_secret: zoom-inline-secret
                """.formatted(secretFile), "zoom.yml");

        assertThat(config.zoom()).isEqualTo(new ZoomConfig(URI.create("https://api.zoomgov.com/v2/metrics/crc"),
                URI.create("https://zoomgov.com/oauth/token")));
        assertThat(config.accounts()).extracting(AccountConfig::source)
                .containsExactly(Source.SYSTEC, Source.ZOOM, Source.ZOOM);
        AccountConfig emea = config.accounts().get(1);
        assertThat(emea.credentials())
                .isEqualTo(new Credentials.Zoom("acct-emea", "client-emea", new Secret("zoom-file-secret")));
        assertThat(emea.capacity()).isEqualTo(OptionalInt.of(24));
        assertThat(config.zoneOf(emea)).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(config.zoneOf(config.accounts().get(0))).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(config.toString()).doesNotContain("zoom-file-secret", "zoom-inline-secret", "secret-hq");
    }

    @Test
    void zoomUrlsDefaultToZoomsOwn() throws ConfigException {
        ExporterConfig config = ConfigLoader.load(Path.of("src/test/resources/config/valid-minimal.yml"));
        assertThat(config.zoom().apiUrl()).isEqualTo(URI.create("https://api.zoom.us/v2/metrics/crc"));
        assertThat(config.zoom().oauthUrl()).isEqualTo(URI.create("https://zoom.us/oauth/token"));
    }

    @Test
    void environmentGivesOneZoomAccount(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("s"), "zoom-env-secret\r\n");
        ExporterConfig config = ConfigLoader.fromEnvironment(Map.of("ZOOM_ACCOUNT_ID", "acct", "ZOOM_CLIENT_ID",
                "client", "ZOOM_CLIENT_SECRET_FILE", secret.toString(), "CRC_ACCOUNT", "emea", "CRC_CAPACITY", "16",
                "CRC_TIMEZONE", "Europe/Berlin"));

        assertThat(config.accounts()).singleElement().satisfies(account -> {
            assertThat(account.name()).isEqualTo("emea");
            assertThat(account.credentials())
                    .isEqualTo(new Credentials.Zoom("acct", "client", new Secret("zoom-env-secret")));
            assertThat(account.capacity()).isEqualTo(OptionalInt.of(16));
        });
        assertThat(config.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void environmentZoomErrorsNameTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("ZOOM_ACCOUNT_ID", "acct", "ZOOM_CLIENT_SECRET",
                "s")))
                .hasMessageStartingWith("ZOOM_CLIENT_ID is required for a Zoom account");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("ZOOM_CLIENT_ID", "c", "ZOOM_CLIENT_SECRET", "s")))
                .hasMessageStartingWith("ZOOM_ACCOUNT_ID is required for a Zoom account");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("ZOOM_ACCOUNT_ID", "a", "ZOOM_CLIENT_ID", "c")))
                .hasMessage("set ZOOM_CLIENT_SECRET or ZOOM_CLIENT_SECRET_FILE");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("ZOOM_ACCOUNT_ID", "a", "ZOOM_CLIENT_ID", "c",
                "ZOOM_CLIENT_SECRET", "s", "ZOOM_CLIENT_SECRET_FILE", "/run/secrets/s")))
                .hasMessage("set only one of ZOOM_CLIENT_SECRET and ZOOM_CLIENT_SECRET_FILE");
    }

    @Test
    void bothFamiliesInTheEnvironmentAreAnErrorNamingBoth() {
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of("CRC_API_KEY", "k", "CRC_API_SECRET",
                "the-api-secret", "ZOOM_ACCOUNT_ID", "a", "ZOOM_CLIENT_ID", "c", "ZOOM_CLIENT_SECRET",
                "the-client-secret")))
                .hasMessage("both CRC_API_KEY, CRC_API_SECRET (a systec account) and ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID,"
                        + " ZOOM_CLIENT_SECRET (a Zoom account) are set; the environment configures one account: unset"
                        + " one family, or use --config.file for several accounts");
    }

    @Test
    void variablesIgnoredBecauseOfAConfigFileAreNamedInAWarningWithoutTheirValues() throws ConfigException {
        Map<String, String> env = Map.of("CRC_API_KEY", "the-api-key", "CRC_API_SECRET", "the-api-secret",
                "ZOOM_CLIENT_SECRET", "the-client-secret", "CRC_CAPACITY", "12", "CRC_SHARD", "0/2",
                "CRC_TIMEZONE", " ", "HOME", "/root");
        Path file = Path.of("src/test/resources/config/valid-minimal.yml");
        try (LogCapture logs = new LogCapture()) {
            assertThat(ConfigLoader.fromFileOrEnvironment(file, env).accounts()).extracting(AccountConfig::name)
                    .containsExactly("hq");

            assertThat(logs.logfmtLines()).singleElement().asString().contains("level=warn",
                    "msg=\"these environment variables are ignored because --config.file is given\"",
                    "variables=CRC_API_KEY,CRC_API_SECRET,CRC_CAPACITY,ZOOM_CLIENT_SECRET", "config_file=" + file)
                    .doesNotContain("the-api-key", "the-api-secret", "the-client-secret", "CRC_SHARD", "CRC_TIMEZONE");
        }
    }

    @Test
    void noWarningWhenTheConfigFileIsTheOnlySource() throws ConfigException {
        try (LogCapture logs = new LogCapture()) {
            ConfigLoader.fromFileOrEnvironment(Path.of("src/test/resources/config/valid-minimal.yml"),
                    Map.of("CRC_SHARD", "0/2", "HOME", "/root"));

            assertThat(logs.logfmtLines()).noneMatch(line -> line.contains("level=warn"));
        }
    }

    @Test
    void noEnvironmentMeansNoConfiguration() throws ConfigException {
        assertThat(ConfigLoader.fromEnvironment(Map.of("HOME", "/root"))).isNull();
    }

    @Test
    void secretNeverShowsInToString() throws ConfigException {
        ExporterConfig config = ConfigLoader.load(Path.of("src/test/resources/config/valid-minimal.yml"));
        assertThat(config.toString()).doesNotContain("secret-hq").contains("<secret>");
    }

    private static Credentials.Systec systec(ExporterConfig config, int index) {
        return (Credentials.Systec) config.accounts().get(index).credentials();
    }

    static {
        // The table is read relative to the project root, where Maven runs the tests.
        if (!Files.isDirectory(INVALID)) {
            throw new UncheckedIOException(new IOException("run from the project root: " + INVALID.toAbsolutePath()));
        }
    }
}
