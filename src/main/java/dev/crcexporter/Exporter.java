package dev.crcexporter;

import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.Shard;
import dev.crcexporter.history.HistoryFetcher;
import dev.crcexporter.history.HistoryRefresher;
import dev.crcexporter.metrics.BuildInfo;
import dev.crcexporter.metrics.CrcMetrics;
import dev.crcexporter.metrics.RecentSnapshots;
import dev.crcexporter.poll.Poller;
import dev.crcexporter.poll.RetryPolicy;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.upstream.UsageSources;
import dev.crcexporter.web.ListenAddress;
import dev.crcexporter.web.Telemetry;
import dev.crcexporter.web.WebConfig;
import dev.crcexporter.web.WebServer;
import io.javalin.Javalin;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A running exporter: snapshots, poller, metrics and HTTP server wired together. {@code Main} starts
 * one from the command line; tests start one on port 0.
 */
public final class Exporter implements AutoCloseable {
    /** jvm_* and process_* are read at most this long before a scrape (see RecentSnapshots). */
    static final Duration JVM_METRICS_MAX_AGE = Duration.ofSeconds(1);

    private final Poller poller;
    private final UsageSources sources;
    private final Javalin web;
    private final SnapshotStore store;
    private final HistoryRefresher history;

    private Exporter(Poller poller, UsageSources sources, Javalin web, SnapshotStore store, HistoryRefresher history) {
        this.poller = poller;
        this.sources = sources;
        this.web = web;
        this.store = store;
        this.history = history;
    }

    public static Exporter start(ExporterConfig config, ListenAddress listen, String metricsPath, Clock clock) {
        return start(config, listen, WebConfig.NONE, metricsPath, clock);
    }

    public static Exporter start(ExporterConfig config, ListenAddress listen, WebConfig webConfig, String metricsPath,
            Clock clock) {
        return start(config, listen, webConfig, metricsPath, clock, Optional.empty());
    }

    /**
     * With {@code shard}, {@code config} holds that shard's accounts only ({@link Shard#select}); the shard is shown on
     * the landing page, on {@code /-/ready} when it has no accounts, and as {@code crc_exporter_shard_info}.
     */
    public static Exporter start(ExporterConfig config, ListenAddress listen, WebConfig webConfig, String metricsPath,
            Clock clock, Optional<Shard> shard) {
        BuildInfo buildInfo = BuildInfo.load();
        SnapshotStore store = new SnapshotStore(config.accounts());
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusRegistry jvm = new PrometheusRegistry();
        JvmMetrics.builder().register(jvm);
        RecentSnapshots recentJvm = new RecentSnapshots(jvm, JVM_METRICS_MAX_AGE, System::nanoTime);
        registry.register(recentJvm);
        CrcMetrics crc = new CrcMetrics(store, clock, config.timezone(), buildInfo, shard).register(registry);
        // Each account's source (the seed API or Zoom), chosen in one place; polls and history share them.
        UsageSources sources = new UsageSources(config, clock);
        // The landing page's last month: its own requests, one account at a time, never retried within a refresh.
        HistoryRefresher history = new HistoryRefresher(config.accounts(), config.timezone(),
                new HistoryFetcher(sources, new RetryPolicy(config.retry()), duration -> {}, line -> {}), clock,
                HistoryRefresher.DEFAULT_RETRY_INTERVAL);
        Javalin web = WebServer.create(listen, webConfig, metricsPath, new Telemetry(registry, crc, recentJvm), store,
                buildInfo, clock, config.timezone(), shard, history);
        web.start();
        Poller poller = new Poller(config, sources, store, clock);
        poller.start();
        return new Exporter(poller, sources, web, store, history);
    }

    /** The port the HTTP server listens on (useful after starting on port 0). */
    public int port() {
        return web.port();
    }

    public SnapshotStore store() {
        return store;
    }

    /** Stops polling and closes the upstream connections, then the server, letting in-flight scrapes finish. */
    @Override
    public void close() {
        poller.close();
        history.close();
        sources.close();
        web.stop();
    }
}
