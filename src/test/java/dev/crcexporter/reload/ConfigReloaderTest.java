package dev.crcexporter.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.Shard;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.metrics.ReloadMetrics;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.web.ReloadTrigger.Outcome;
import dev.crcexporter.web.toolkit.LiveWebConfig;
import dev.crcexporter.web.toolkit.WebConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The coordinator: both files or neither, one reload at a time, the shard selected again, names but never secrets. */
class ConfigReloaderTest {
    private static final Instant START = Instant.parse("2026-11-27T01:00:00Z");

    private static AccountConfig account(String name, String secret, int capacity) {
        return new AccountConfig(name, "key-" + name, new Secret(secret), OptionalInt.of(capacity));
    }

    private static ExporterConfig config(AccountConfig... accounts) {
        return new ExporterConfig(URI.create("http://127.0.0.1:1/api"), RequestMethod.POST,
                ExporterConfig.DEFAULT_TIMEZONE, Duration.ofMinutes(5), Duration.ofSeconds(10), 8, RetryConfig.DEFAULT,
                List.of(accounts), ZoomConfig.DEFAULT);
    }

    /** The exporter's side: what it was asked to apply. */
    private static final class Applied implements ConfigReloader.Accounts {
        final List<ExporterConfig> applied = new ArrayList<>();
        ExporterConfig current;
        /** Accounts from this many on cannot be served (their scrapes would not fit the heap). */
        int tooMany = Integer.MAX_VALUE;

        Applied(ExporterConfig initial) {
            current = initial;
        }

        @Override
        public ExporterConfig current() {
            return current;
        }

        @Override
        public Optional<String> refusal(ExporterConfig next) {
            return next.accounts().size() >= tooMany
                    ? Optional.of(next.accounts().size() + " accounts need more heap than this JVM has")
                    : Optional.empty();
        }

        @Override
        public synchronized void apply(ExporterConfig next) {
            applied.add(next);
            current = next;
        }
    }

    private final ReloadMetrics gauges = new ReloadMetrics(START);
    private final Clock clock = Clock.fixed(START.plusSeconds(60), ZoneOffset.UTC);

    private double gauge(String name) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(gauges);
        return registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName().equals(name))
                .map(s -> ((GaugeSnapshot) s).getDataPoints().get(0).getValue()).findFirst().orElseThrow();
    }

    @Test
    void aValidPairIsAppliedAndNamedWithoutSecrets() {
        ExporterConfig before = config(account("hq", "old-secret-1", 40), account("emea", "secret-2", 10));
        ExporterConfig after = config(account("hq", "new-secret-1", 48), account("apac", "secret-3", 5));
        Applied exporter = new Applied(before);
        ConfigReloader reloader = new ConfigReloader(() -> after, () -> WebConfig.NONE, Optional.empty(),
                new LiveWebConfig(WebConfig.NONE), exporter, gauges, clock);
        try (LogCapture logs = new LogCapture()) {
            Outcome outcome = reloader.reload("test");
            assertThat(outcome).isEqualTo(new Outcome(true,
                    "configuration reloaded: 2 account(s); added: apac; removed: emea; changed: hq (api_secret,"
                            + " capacity)"));
            assertThat(String.join("\n", logs.lines())).contains("configuration reloaded")
                    .doesNotContain("old-secret-1", "new-secret-1", "secret-2", "secret-3");
        }
        assertThat(exporter.applied).containsExactly(after);
        assertThat(gauge("crc_exporter_config_last_reload_successful")).isEqualTo(1.0);
        assertThat(gauge("crc_exporter_config_last_reload_success_timestamp_seconds"))
                .isEqualTo(START.getEpochSecond() + 60.0);
    }

    @Test
    void aBadConfigurationFileAppliesNeitherFile() {
        Applied exporter = new Applied(config(account("hq", "s", 40)));
        LiveWebConfig web = new LiveWebConfig(WebConfig.NONE);
        WebConfig withHeader = new WebConfig(Optional.empty(), Map.of(), Map.of("X-Frame-Options", "deny"));
        ConfigReloader reloader = new ConfigReloader(() -> {
            throw new ConfigException("accounts[hq].capacity must be > 0 (got -5)");
        }, () -> withHeader, Optional.empty(), web, exporter, gauges, clock);

        assertThat(reloader.reload("test")).isEqualTo(new Outcome(false,
                "reload failed, the running configuration stays: accounts[hq].capacity must be > 0 (got -5)"));
        assertThat(exporter.applied).isEmpty();
        assertThat(web.access().headers()).as("the refused web configuration's header").isEmpty();
        assertThat(gauge("crc_exporter_config_last_reload_successful")).isEqualTo(0.0);
        assertThat(gauge("crc_exporter_config_last_reload_success_timestamp_seconds"))
                .isEqualTo(START.getEpochSecond());
    }

    @Test
    void accountsWhoseScrapesWouldNotFitTheHeapAreRefusedAndTheRunningOnesStay() {
        Applied exporter = new Applied(config(account("hq", "s", 40)));
        exporter.tooMany = 2;
        LiveWebConfig web = new LiveWebConfig(WebConfig.NONE);
        ConfigReloader reloader = new ConfigReloader(() -> config(account("hq", "s", 40), account("emea", "s", 10)),
                () -> new WebConfig(Optional.empty(), Map.of(), Map.of("X-Frame-Options", "deny")), Optional.empty(),
                web, exporter, gauges, clock);

        assertThat(reloader.reload("test")).isEqualTo(new Outcome(false,
                "reload failed, the running configuration stays: 2 accounts need more heap than this JVM has"));
        assertThat(exporter.applied).isEmpty();
        assertThat(web.access().headers()).as("the web configuration read with it").isEmpty();
        assertThat(gauge("crc_exporter_config_last_reload_successful")).isEqualTo(0.0);
    }

    @Test
    void aBadWebConfigurationFileAppliesNeitherFile() {
        Applied exporter = new Applied(config(account("hq", "s", 40)));
        ConfigReloader reloader = new ConfigReloader(() -> config(account("hq", "s", 41)), () -> {
            throw new ConfigException("--web.config.file web.yml: basic_auth_users.bob is not a bcrypt hash");
        }, Optional.empty(), new LiveWebConfig(WebConfig.NONE), exporter, gauges, clock);

        assertThat(reloader.reload("test").applied()).isFalse();
        assertThat(exporter.applied).isEmpty();
        assertThat(gauge("crc_exporter_config_last_reload_successful")).isEqualTo(0.0);
    }

    @Test
    void theServedShardIsSelectedFromEveryConfigurationRead() {
        Shard shard = new Shard(1, 3);
        List<AccountConfig> all = IntStream.range(0, 30).mapToObj(i -> account("customer-" + i, "s" + i, 10)).toList();
        ExporterConfig loaded = config(all.toArray(AccountConfig[]::new));
        ExporterConfig selected = shard.select(loaded);
        Applied exporter = new Applied(shard.select(config(all.subList(0, 20).toArray(AccountConfig[]::new))));
        ConfigReloader reloader = new ConfigReloader(() -> loaded, () -> WebConfig.NONE, Optional.of(shard),
                new LiveWebConfig(WebConfig.NONE), exporter, gauges, clock);

        Outcome outcome = reloader.reload("test");
        assertThat(exporter.applied).containsExactly(selected);
        assertThat(selected.accounts()).isNotEmpty().hasSizeLessThan(30).allMatch(a -> shard.owns(a.name()));
        assertThat(outcome.message()).endsWith(" of 30 configured (shard 1/3)")
                .startsWith("configuration reloaded: " + selected.accounts().size() + " account(s); added: ");
    }

    @Test
    void reloadsRunOneAtATime() throws Exception {
        Applied exporter = new Applied(config(account("hq", "s", 40)));
        AtomicInteger reading = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Integer> capacity = new AtomicReference<>(41);
        ConfigReloader reloader = new ConfigReloader(() -> {
            mostAtOnce.accumulateAndGet(reading.incrementAndGet(), Math::max);
            firstInside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reading.decrementAndGet();
            return config(account("hq", "s", capacity.getAndUpdate(c -> c + 1)));
        }, () -> WebConfig.NONE, Optional.empty(), new LiveWebConfig(WebConfig.NONE), exporter, gauges, clock);

        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            outcomes.add(threads.submit(() -> reloader.reload("first")));
            assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
            List<Thread> later = new CopyOnWriteArrayList<>();
            for (String trigger : List.of("second", "third")) {
                outcomes.add(threads.submit(() -> {
                    later.add(Thread.currentThread());
                    return reloader.reload(trigger);
                }));
            }
            // Both parked inside reload: waiting for the first to end, or (were reloads not one at a time) in the read
            Poll.until(Duration.ofSeconds(10), "the second and third reloads waiting", () -> later.size() == 2
                    && later.stream().allMatch(ConfigReloaderTest::parkedInReload));
            release.countDown();
            for (Future<Outcome> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS).applied()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(mostAtOnce.get()).isEqualTo(1);
        // Each reload applied what it read, in the order they ran.
        assertThat(exporter.applied).extracting(c -> c.accounts().get(0).capacity().getAsInt())
                .containsExactly(41, 42, 43);
    }

    private static boolean parkedInReload(Thread thread) {
        Thread.State state = thread.getState();
        return (state == Thread.State.BLOCKED || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName()
                        .equals(ConfigReloader.class.getName()) && frame.getMethodName().equals("reload"));
    }
}
