package dev.crcexporter.web;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.Shard;
import dev.crcexporter.history.HistoryRefresher;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.web.toolkit.ListenAddress;
import dev.crcexporter.web.toolkit.LiveWebConfig;
import dev.crcexporter.web.toolkit.WebAccess;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.prometheus.metrics.config.PrometheusProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the HTTP side: the telemetry path (client_java's writers: text, OpenMetrics, protobuf, gzip,
 * {@code name[]}, {@code debug}), the landing page, and the health and readiness endpoints.
 * Separate from {@code Main} so tests drive the real routes.
 */
public final class WebServer {
    /** In-flight scrapes get this long to finish on shutdown (Jetty's default is to cut them). */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Few threads on purpose: on 2 cores, 8 gave a p99 of ~5 ms at 32 connections where 32 gave ~25 ms (bench/). */
    private static final int MAX_THREADS = 8;
    private static final int MIN_THREADS = 2;
    /**
     * A connection that makes no progress (a client that stopped reading, or sends nothing) is closed after this
     * long. A scrape or a landing page holds no thread meanwhile: it is written without blocking
     * ({@link AnswerHandler}). About Prometheus' default scrape timeout: an answer it has given up on is not worth
     * keeping.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * On shutdown, a connection that makes no progress for this long is closed (Jetty's default is a second): an idle
     * keep-alive connection of a scraper has nothing to finish, and an in-flight scrape makes progress (its render
     * counts as such, see {@link TelemetryHandler}), so stopping waits for the scrapes, not for idle clients.
     */
    static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(100);

    /** Reads the configuration files again (POST only). */
    public static final String RELOAD_PATH = "/-/reload";
    /**
     * How long {@code POST /-/reload} waits for its outcome before it answers 503 (the reload goes on). Reloads take
     * milliseconds; one that takes this long waits on a file system. Below {@link #IDLE_TIMEOUT}, which would cut it.
     */
    static final Duration RELOAD_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private WebServer() {}

    /** As Prometheus answers: 200 when applied, 500 when the files could not be, the reason in the body either way. */
    private static Void answerReload(Context ctx, ReloadTrigger.Outcome outcome, Throwable failure) {
        ctx.contentType("text/plain; charset=utf-8");
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause() : failure;
        if (cause == null) {
            ctx.status(outcome.applied() ? HttpStatus.OK : HttpStatus.INTERNAL_SERVER_ERROR)
                    .result(outcome.message() + "\n");
        } else if (cause instanceof TimeoutException) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("the reload is still running after "
                    + RELOAD_WAIT.toSeconds() + "s and goes on: its outcome will be in the log and in"
                    + " crc_exporter_config_last_reload_successful\n");
        } else {
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).result("reload failed: internal error "
                    + cause.getClass().getSimpleName() + " (a bug of crc-exporter)\n");
        }
        return null;
    }

    /** A server that listens on {@code listen} (plain HTTP, or TLS per {@code web}) once started. */
    public static Javalin create(ListenAddress listen, LiveWebConfig web, String metricsPath, Telemetry telemetry,
            SnapshotStore store, BuildInfo buildInfo, Clock clock, ZoneId zone, Optional<Shard> shard,
            HistoryRefresher history, ReloadTrigger reload) {
        ScrapeMemory memory = new ScrapeMemory(Runtime.getRuntime().maxMemory(), () -> store.slots().size());
        Answers answers = new Answers(telemetry.registry(), telemetry.crc(), memory, PrometheusProperties.get(),
                System::nanoTime);
        LandingPage landingPage = new LandingPage(buildInfo, metricsPath, clock, zone, shard,
                Optional.of(new HistorySection(history)));
        return create(listen, web, metricsPath, answers, store, landingPage, shard, reload);
    }

    /** With answers of the caller's making (tests give them other bounds). */
    static Javalin create(ListenAddress listen, LiveWebConfig web, String metricsPath, Answers answers,
            SnapshotStore store, LandingPage landingPage, Optional<Shard> shard, ReloadTrigger reload) {
        ScrapeHandler scrapeHandler = new ScrapeHandler(metricsPath, answers, web::access);
        LandingPageHandler landingPageHandler = new LandingPageHandler(landingPage, store, web::access);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // The scrape handler compresses on its own when the client accepts gzip.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
            threads.setName("web");
            config.jetty.threadPool = threads;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                // GET and HEAD of the landing page and of the telemetry path (which wins if it is "/"), before
                // Javalin; Javalin answers the rest (401, 405, other paths).
                server.insertHandler(landingPageHandler);
                server.insertHandler(scrapeHandler);
            });
            // Our own connector (plain or TLS); Javalin adds its default one only when there is none.
            config.jetty.addConnector((server, http) -> {
                Connector connector = web.connector(server, http, listen);
                ((AbstractConnector) connector).setIdleTimeout(IDLE_TIMEOUT.toMillis());
                ((AbstractConnector) connector).setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
                return connector;
            });

            // Every endpoint, known or not, gets the configured headers and needs the configured users: both from
            // the web configuration in force when the request came, read once.
            config.routes.before(ctx -> {
                WebAccess access = web.access();
                access.headers().forEach(ctx::header);
                if (!access.allows(ctx.header("Authorization"))) {
                    ctx.header("WWW-Authenticate", "Basic realm=\"crc-exporter\", charset=\"UTF-8\"")
                            .status(HttpStatus.UNAUTHORIZED).result("Unauthorized\n");
                    ctx.skipRemainingHandlers();
                } else if (ctx.path().equals(RELOAD_PATH) && !HandlerType.POST.equals(ctx.method())) {
                    ctx.header("Allow", "POST").status(HttpStatus.METHOD_NOT_ALLOWED)
                            .contentType("text/plain; charset=utf-8").result("Method Not Allowed: use POST\n");
                    ctx.skipRemainingHandlers();
                } else if (ctx.path().equals(metricsPath)
                        && ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                    ctx.header("Allow", "GET, HEAD").status(HttpStatus.METHOD_NOT_ALLOWED)
                            .contentType("text/plain; charset=utf-8").result("Method Not Allowed: use GET or HEAD\n");
                    ctx.skipRemainingHandlers();
                }
            });

            config.routes.post(RELOAD_PATH, ctx -> {
                Optional<String> refusal = CrossSiteRequests.refusal(ctx.scheme(), ctx.header("Host"),
                        ctx.header("Origin"), ctx.header("Sec-Fetch-Site"), ctx.header("Content-Type"),
                        ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null);
                if (refusal.isPresent()) {
                    LOG.atWarn().setMessage("reload refused: a browser asked for it from another site")
                            .addKeyValue("err", refusal.get()).addKeyValue("remote", ctx.ip()).log();
                    ctx.status(HttpStatus.FORBIDDEN).contentType("text/plain; charset=utf-8")
                            .result("Forbidden: " + refusal.get() + "\n");
                    return;
                }
                CompletableFuture<ReloadTrigger.Outcome> outcome = reload.reload("POST " + RELOAD_PATH);
                // Who asked: coalesced reloads log one line for all their callers.
                LOG.atDebug().setMessage("reload asked for").addKeyValue("trigger", "POST " + RELOAD_PATH)
                        .addKeyValue("remote", ctx.ip()).log();
                // No thread waits: the answer is written by a web thread once the reload's own thread has an outcome.
                ctx.future(() -> outcome.orTimeout(RELOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .handleAsync((done, failure) -> answerReload(ctx, done, failure), threads));
            });
            // HEAD runs the handler of GET (Jetty sends no body): the same status and headers, where Javalin's own
            // answer to HEAD would be 200 text/plain whatever GET says (a probe that is 503).
            Handler healthy = ctx -> ctx.contentType("text/plain; charset=utf-8").result("Healthy\n");
            config.routes.get("/-/healthy", healthy).head("/-/healthy", healthy);
            // Once ready, ready for good: accounts a reload adds are polled at once, and a replica that turned unready
            // for that would leave its Service and spend the PodDisruptionBudget for nothing.
            AtomicBoolean wasReady = new AtomicBoolean();
            Handler ready = ctx -> {
                ctx.contentType("text/plain; charset=utf-8");
                // One read of the store, so the answer and its counts agree.
                SnapshotStore.Readiness readiness = store.readiness();
                if (wasReady.get()) {
                    ctx.result("Ready\n");
                } else if (readiness.accounts() == 0 && shard.isPresent()) {
                    // Ready: there is nothing to wait for, and a pod that never became ready would stall the
                    // StatefulSet's rolling updates and use up the PodDisruptionBudget.
                    ctx.result("Ready: shard " + shard.get() + " has no accounts\n");
                } else if (readiness.allPolled()) {
                    wasReady.set(true);
                    ctx.result("Ready\n");
                } else {
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                            .result("Not ready: " + readiness.polled() + " of " + readiness.accounts()
                                    + " accounts have finished their first poll\n");
                }
            };
            config.routes.get("/-/ready", ready).head("/-/ready", ready);
        });
    }
}
