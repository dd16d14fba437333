package dev.crcexporter.it;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.ConfigLoader;
import dev.crcexporter.testing.AccountState;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.web.ReloadTrigger.Outcome;
import dev.crcexporter.web.toolkit.WebConfig;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the account-reload tests share: the fake systec API with its accounts, a config file the tests rewrite, and
 * helpers that start, reload and read an exporter. {@link AccountReloadIT} (what a reload keeps, renews, adds and
 * refuses) and {@link ReloadInFlightIT} (polls and retries that a reload overtakes).
 */
abstract class AccountReloadFixture {
    /** 2026-11-26 12:00 in Asia/Shanghai (05:00 in Berlin): every zone's window holds 2026-11-26. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);
    static final Duration BOUND = Duration.ofSeconds(20);
    static final String DAY = "2026-11-26";

    @TempDir
    Path dir;
    Path file;
    final ExporterFixture fixture = new ExporterFixture();
    final HttpClient http = HttpClient.newHttpClient();
    FakeCrcApi crc;

    @BeforeEach
    void upstream() throws Exception {
        file = dir.resolve("crc.yml");
        crc = fixture.closeLater(new FakeCrcApi());
        for (String name : List.of("hq", "apac", "emea", "lat", "new", "sw")) {
            crc.account("k-" + name, "s-" + name, List.of(Days.peakingAtTen(DAY, 10 + name.length())));
        }
        crc.account("k-emea-2", "s-emea", List.of(Days.peakingAtTen(DAY, 33)));
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    /** A systec account as YAML; {@code extra} lines are indented under it. */
    static String systec(String name, String key, String secret, String... extra) {
        return "  - name: " + name + "\n    api_key: " + key + "\n    api_secret: " + secret + "\n"
                + String.join("", Arrays.stream(extra).map(line -> "    " + line + "\n").toList());
    }

    static String zoom(String name, String accountId, String... extra) {
        return "  - name: " + name + "\n    source: zoom\n    account_id: " + accountId
                + "\n    client_id: c-" + accountId
                + "\n    client_secret: cs-" + accountId + "\n"
                + String.join("", Arrays.stream(extra).map(line -> "    " + line + "\n").toList());
    }

    String config(String settings, String... accounts) {
        return "api_url: " + crc.url() + "\npoll_interval: 1h\ntimeout: 20s\n"
                + "retry:\n  max_attempts: 2\n  initial_backoff: 100ms\n  max_backoff: 100ms\n"
                + settings + "accounts:\n" + String.join("", accounts);
    }

    Exporter start(String yaml) throws Exception {
        Files.writeString(file, yaml);
        return fixture.start(ConfigLoader.load(file), WebConfig.NONE, Optional.empty(), CLOCK,
                () -> ConfigLoader.load(file),
                () -> WebConfig.NONE);
    }

    Outcome reload(Exporter exporter, String yaml) throws Exception {
        Files.writeString(file, yaml);
        return exporter.reload("test").join();
    }

    void awaitUp(Exporter exporter, String... accounts) {
        Poll.until(BOUND, "accounts " + String.join(",", accounts) + " up", () -> {
            Map<String, AccountState> exposed = fixture.accounts(exporter);
            return Arrays.stream(accounts).allMatch(name -> exposed.containsKey(name) && exposed.get(name).up());
        });
    }

    String metrics(Exporter exporter) {
        return fixture.metrics(exporter);
    }

    static double value(String metrics, String series) {
        return ExporterFixture.value(metrics, series).orElseThrow(() -> new AssertionError(series + " missing"));
    }

    static double errors(String metrics, String account) {
        return value(metrics, "crc_exporter_poll_errors_total{account=\"" + account + "\",reason=\"http_status\"}");
    }

    /** The documented answer, but HTTP 500 for the first request of each key in {@code failOnce}. */
    void failFirstRequestOf(String... keys) {
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Set<String> failOnce = Set.of(keys);
        crc.behave(request -> failOnce.contains(request.apiKey()) && failed.add(request.apiKey())
                ? new Response(500, Map.of(), "", Duration.ZERO) : crc.documentedAnswer(request));
    }
}
