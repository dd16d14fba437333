package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.Shard;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.testing.AccountState;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import dev.crcexporter.web.toolkit.WebConfig;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas started with {@code --shard=I/N} against one upstream over real loopback HTTP: together they poll and
 * expose every account exactly once, and each says which shard it serves; an empty shard runs and is ready.
 */
class ShardIT {
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z"); // 10:30 in Shanghai
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Of 3 shards: emea and lab in 0; apac, headquarters, customer-0001 in 1; hq and customer-0002 in 2. */
    private static final List<String> NAMES = List.of("hq", "emea", "apac", "lab", "headquarters", "customer-0001",
            "customer-0002");

    private final ExporterFixture fixture = new ExporterFixture();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private FakeCrcApi upstream() throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi());
        for (String name : NAMES) {
            upstream.account("key-" + name, "secret-" + name,
                    List.of(new DailyUsage(LocalDate.of(2026, 11, 26), List.of(new HourUsage(10, 7, 9)))));
        }
        return upstream;
    }

    private static ExporterConfig config(FakeCrcApi upstream, List<String> names) {
        List<AccountConfig> accounts = names.stream()
                .map(n -> new AccountConfig(n, "key-" + n, new Secret("secret-" + n), OptionalInt.of(40))).toList();
        return new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"), Duration.ofHours(1),
                Duration.ofSeconds(5), 2, new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)), accounts,
                ZoomConfig.DEFAULT);
    }

    /** What {@code --shard} does: the shard's share of the loaded configuration, and the shard for display. */
    private Exporter start(ExporterConfig loaded, Optional<Shard> shard) {
        ExporterConfig served = shard.map(s -> s.select(loaded)).orElse(loaded);
        return fixture.start(served, WebConfig.NONE, shard, CLOCK, () -> loaded, () -> WebConfig.NONE);
    }

    private void awaitReady(Exporter exporter) {
        fixture.awaitReady(exporter, Duration.ofSeconds(20));
    }

    private static List<String> exposedAccounts(String metrics) {
        return List.copyOf(AccountState.all(metrics).keySet());
    }

    @Test
    void threeShardsPollAndExposeEveryAccountExactlyOnce() throws Exception {
        FakeCrcApi upstream = upstream();
        ExporterConfig loaded = config(upstream, NAMES);
        List<Exporter> replicas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replicas.add(start(loaded, Optional.of(new Shard(i, 3))));
        }
        replicas.forEach(this::awaitReady);

        List<String> exposed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int shard = i;
            Exporter replica = replicas.get(i);
            String metrics = fixture.metrics(replica);
            assertThat(metrics).contains("crc_exporter_shard_info{shard=\"" + i + "\",shards=\"3\"} 1\n");
            List<String> accounts = exposedAccounts(metrics);
            assertThat(accounts).as("shard %d", i).isNotEmpty()
                    .allSatisfy(account -> assertThat(Shard.of(account, 3)).isEqualTo(shard));
            exposed.addAll(accounts);
        }
        assertThat(exposed).as("every account on exactly one replica").containsExactlyInAnyOrderElementsOf(NAMES);
        for (String name : NAMES) {
            assertThat(upstream.requestsFor("key-" + name)).as("upstream requests for %s", name).isEqualTo(1);
        }
        assertThat(upstream.requests()).hasSize(NAMES.size());
        // Viewing the landing page starts its 30-day history requests, so it comes after the counts above.
        for (int i = 0; i < 3; i++) {
            assertThat(fixture.get(replicas.get(i), "/").body())
                    .contains("<p class=\"shard\" data-shard=\"" + i + "\" data-shards=\"3\">shard " + i
                            + " of 3 (counted from 0)")
                    .doesNotContain("none of the configured accounts");
        }
    }

    @Test
    void aShardWithoutAccountsRunsIsReadyAndSaysWhy() throws Exception {
        FakeCrcApi upstream = upstream();
        // hq is in shard 5 of 10
        Exporter empty = start(config(upstream, List.of("hq")), Optional.of(new Shard(0, 10)));

        HttpResponse<String> ready = fixture.get(empty, "/-/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("Ready: shard 0/10 has no accounts\n");
        String metrics = fixture.metrics(empty);
        assertThat(metrics).contains("crc_exporter_shard_info{shard=\"0\",shards=\"10\"} 1\n");
        assertThat(exposedAccounts(metrics)).isEmpty();
        assertThat(fixture.get(empty, "/").body()).contains("none of the configured accounts hashes to this shard");
        assertThat(fixture.get(empty, "/-/healthy").statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void withoutAShardNothingAboutShardsIsShown() throws Exception {
        FakeCrcApi upstream = upstream();
        Exporter all = start(config(upstream, NAMES), Optional.empty());
        awaitReady(all);

        assertThat(fixture.get(all, "/-/ready").body()).isEqualTo("Ready\n");
        String metrics = fixture.metrics(all);
        assertThat(metrics).doesNotContain("crc_exporter_shard");
        assertThat(exposedAccounts(metrics)).containsExactlyInAnyOrderElementsOf(NAMES);
        assertThat(fixture.get(all, "/").body()).doesNotContain("class=\"shard\"");
    }
}
