package dev.crcexporter;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.Shard;
import dev.crcexporter.history.HistoryFetcher;
import dev.crcexporter.history.HistoryRefresher;
import dev.crcexporter.metrics.CrcMetrics;
import dev.crcexporter.metrics.ProcessJvmMetrics;
import dev.crcexporter.metrics.ReloadMetrics;
import dev.crcexporter.poll.Poller;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.reload.ConfigReloader;
import dev.crcexporter.reload.ReloadCoalescer;
import dev.crcexporter.upstream.RetryPolicy;
import dev.crcexporter.upstream.UsageSources;
import dev.crcexporter.web.ReloadTrigger;
import dev.crcexporter.web.ScrapeMemory;
import dev.crcexporter.web.Telemetry;
import dev.crcexporter.web.WebServer;
import dev.crcexporter.web.toolkit.ListenAddress;
import dev.crcexporter.web.toolkit.LiveWebConfig;
import dev.crcexporter.web.toolkit.WebConfig;
import io.javalin.Javalin;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running exporter: snapshots, poller, metrics and HTTP server wired together. {@code CrcExporterCommand} starts
 * one from the command line; tests start theirs through {@code testing/ExporterFixture}, on port 0, and observe it as a
 * user does: {@code /metrics}, {@code /-/ready}, the landing page and the log.
 */
public final class Exporter implements AutoCloseable {
    private final Poller poller;
    private final UsageSources sources;
    private final Javalin web;
    private final HistoryRefresher history;
    private final ReloadCoalescer reloads;

    private Exporter(Poller poller, UsageSources sources, Javalin web, HistoryRefresher history,
            ReloadCoalescer reloads) {
        this.poller = poller;
        this.sources = sources;
        this.web = web;
        this.history = history;
        this.reloads = reloads;
    }

    /**
     * Starts serving on {@code listen} and polling. With {@code shard}, {@code config} holds that shard's accounts only
     * ({@link Shard#select}); the shard is shown on the landing page, on {@code /-/ready} when it has no accounts, and
     * as {@code crc_exporter_shard_info}. A reload reads the configurations from {@code configSource} (before the
     * shard's selection) and {@code webSource}. With {@code hourly} ({@code --collector.hourly}) the
     * {@code {date,hour}} series are exposed; a reload to accounts whose scrapes would not fit the heap is refused
     * (see ScrapeMemory).
     */
    public static Exporter start(ExporterConfig config, ListenAddress listen, WebConfig webConfig, String metricsPath,
            Clock clock, Optional<Shard> shard, boolean hourly, ConfigReloader.ConfigSource configSource,
            ConfigReloader.WebConfigSource webSource) {
        BuildInfo buildInfo = BuildInfo.load();
        SnapshotStore store = new SnapshotStore(config.accounts());
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> ProcessJvmMetrics.registry().scrape());
        ReloadMetrics reloadMetrics = new ReloadMetrics(clock.instant());
        CrcMetrics crc = new CrcMetrics(store, clock, config.timezone(), buildInfo, shard, Optional.of(reloadMetrics),
                hourly).register(registry);
        // Each account's source (the seed API or Zoom), chosen in one place; polls and history share them.
        UsageSources sources = new UsageSources(config, clock);
        // The landing page's last month: its own requests, one account at a time, never retried within a refresh.
        HistoryRefresher history = new HistoryRefresher(config.accounts(), config.timezone(),
                new HistoryFetcher(sources, new RetryPolicy(config.retry()), duration -> {}, line -> {}), clock,
                HistoryRefresher.DEFAULT_RETRY_INTERVAL);
        LiveWebConfig liveWeb = new LiveWebConfig(webConfig);
        Poller poller = new Poller(config, sources, store, clock);
        AtomicReference<ExporterConfig> inForce = new AtomicReference<>(config);
        ConfigReloader reloader = new ConfigReloader(configSource, webSource, shard, liveWeb,
                new ConfigReloader.Accounts() {
                    @Override
                    public ExporterConfig current() {
                        return inForce.get();
                    }

                    @Override
                    public Optional<String> refusal(ExporterConfig next) {
                        return ScrapeMemory.refusal(next.accounts().size(), hourly, Runtime.getRuntime().maxMemory());
                    }

                    @Override
                    public void apply(ExporterConfig next) {
                        // The poller swaps the store's accounts and polls the fresh ones; then the sources of
                        // identities gone are dropped, and the landing page's months follow.
                        Set<String> fresh = poller.apply(next);
                        sources.apply(next);
                        history.apply(next.accounts(), fresh);
                        inForce.set(next);
                    }
                }, reloadMetrics, clock);
        ReloadCoalescer reloads = new ReloadCoalescer(reloader::reload);
        Javalin web = WebServer.create(listen, liveWeb, metricsPath, new Telemetry(registry, crc), store,
                buildInfo, clock, config.timezone(), shard, history, reloads);
        web.start();
        poller.start();
        return new Exporter(poller, sources, web, history, reloads);
    }

    /** The port the HTTP server listens on (useful after starting on port 0). */
    public int port() {
        return web.port();
    }

    /**
     * Asks for the configurations to be read again and applied when valid, as SIGHUP and {@code POST /-/reload} do
     * (coalesced with them); the outcome comes when the reload has run.
     */
    public CompletableFuture<ReloadTrigger.Outcome> reload(String trigger) {
        return reloads.reload(trigger);
    }

    /** Stops polling and closes the upstream connections, then the server, letting in-flight scrapes finish. */
    @Override
    public void close() {
        reloads.close();
        poller.close();
        history.close();
        sources.close();
        web.stop();
    }
}
