package dev.crcexporter.web;

import dev.crcexporter.metrics.CrcMetrics;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers of the telemetry path. Each is written whole by client_java's writers from the registry's snapshots,
 * negotiated as its {@code PrometheusScrapeHandler} negotiates (format and name escaping from {@code Accept}, gzip
 * from {@code Accept-Encoding}), with {@code name[]} and {@code debug} as it reads them; only an unknown {@code debug}
 * value is a 400 here, not a 500.
 *
 * <p>An answer without {@code name[]} or {@code debug} is kept per {@link Variant} and served again while the
 * {@link CrcMetrics.View} it was rendered from is current, for at most {@link #MAX_AGE} (the {@code jvm_*} and
 * {@code process_*} values change); requests of a variant being rendered wait for that render. There are a dozen
 * variants whatever headers clients send. Renders run one at a time on a thread of their own, each within the
 * {@link ScrapeMemory} budget; a request holds no server thread while it waits.
 */
final class Answers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** How long a render waits for room before it answers 503: answers being sent give theirs back by then. */
    static final Duration ROOM_WAIT = Duration.ofSeconds(15);
    /** Renders waiting for the render thread at most (plain scrapes add one per variant; name[] and debug one each). */
    static final int MAX_WAITING = 64;
    private static final List<String> DEBUG_FORMATS = List.of("openmetrics", "text", "prometheus-protobuf");

    /** What a scrape asked for, as client_java negotiates it from the request's headers. */
    record Variant(ExpositionFormatWriter writer, EscapingScheme escaping, boolean gzip) {}

    /** An answer before it is sent: its body in blocks of at most {@value Body#BLOCK} bytes. */
    record Answer(int status, Map<String, String> headers, List<byte[]> body, long length) {
        /** {@code text} in UTF-8, written into blocks (a page is never held as one array besides its string). */
        static Answer of(int status, String contentType, String text) {
            Body body = new Body();
            try (Writer out = new OutputStreamWriter(body, StandardCharsets.UTF_8)) {
                out.write(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a Body takes every byte
            }
            return new Answer(status, Map.of("Content-Type", contentType), body.blocks(), body.length);
        }

        static Answer text(int status, String text) {
            return of(status, "text/plain; charset=utf-8", text + "\n");
        }

        /** 503 with Retry-After: what a scraper that must not be overloaded answers. */
        static Answer busy(String why) {
            Answer text = text(503, why);
            return new Answer(503, Map.of("Content-Type", text.headers().get("Content-Type"), "Retry-After", "1"),
                    text.body(), text.length());
        }
    }

    /**
     * An answer to come, and who holds it: the kept answers while it is one of them, and each request it is sent to
     * until it is sent. The request that asked for the render is one of them, so the answer's size is known when the
     * last one lets go and gives its bytes back to the budget.
     */
    final class Held {
        final Object view;
        /** When it was asked for, then when its render began: it is kept a second from then. */
        private volatile long sinceNanos;
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        private int holders;
        private long bytes;

        private Held(Object view, long sinceNanos, int holders) {
            this.view = view;
            this.sinceNanos = sinceNanos;
            this.holders = holders;
        }

        /** An answer under way, or rendered less than {@link #MAX_AGE} ago from {@code view}. */
        private boolean servesFor(Object currentView, long now) {
            return view == currentView && (!answer.isDone() || now - sinceNanos < MAX_AGE.toNanos());
        }

        /** False once every holder has let go: it is no longer kept, and its bytes are given back. */
        private synchronized boolean hold() {
            if (holders == 0) {
                return false;
            }
            holders++;
            return true;
        }

        /** A request once its answer is sent (or failed), the kept answers when they drop it. */
        void release() {
            long free;
            synchronized (this) {
                if (--holders > 0) {
                    return;
                }
                free = bytes;
            }
            memory.release(free);
        }

        private void complete(Answer rendered, long reservedBytes) {
            synchronized (this) {
                bytes = reservedBytes;
            }
            answer.complete(rendered);
        }
    }

    /** What one render needs to know. */
    private record Job(Variant variant, String[] names, String debug, PrometheusHttpRequest request) {}

    private final PrometheusRegistry registry;
    private final CrcMetrics crc;
    private final ScrapeMemory memory;
    private final ExpositionFormats formats;
    private final boolean preferUncompressed;
    private final LongSupplier nanoTime;
    private final Map<Variant, Held> kept = new ConcurrentHashMap<>();
    private final ExecutorService renderer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING), task -> {
                Thread thread = new Thread(task, "scrape-render");
                thread.setDaemon(true);
                return thread;
            });

    Answers(PrometheusRegistry registry, CrcMetrics crc, ScrapeMemory memory, PrometheusProperties properties,
            LongSupplier nanoTime) {
        this.registry = registry;
        this.crc = crc;
        this.memory = memory;
        // Without OpenMetrics 2 (only client_java's own properties enable it): escaping comes from Accept alone.
        this.formats = ExpositionFormats.init(properties.getExporterProperties());
        this.preferUncompressed = properties.getExporterHttpServerProperties().isPreferUncompressedResponse();
        this.nanoTime = nanoTime;
    }

    /** The answer to {@code request} (GET or HEAD); release it once sent. */
    Held answer(PrometheusHttpRequest request) {
        String[] names;
        String debug;
        try {
            names = request.getParameterValues("name[]");
            debug = request.getParameter("debug");
        } catch (RuntimeException e) { // client_java's InvalidQueryParameterException (not public): its own answer
            return now(Answer.text(400, "Invalid query parameters"));
        }
        if (debug != null && !DEBUG_FORMATS.contains(debug)) {
            return now(Answer.text(400, "debug must be one of " + String.join(", ", DEBUG_FORMATS)));
        }
        String accept = request.getHeader("Accept");
        Variant variant = new Variant(formats.findWriter(accept), EscapingScheme.fromAcceptHeader(accept),
                !preferUncompressed && acceptsGzip(request.getHeaders("Accept-Encoding")));
        Job job = new Job(variant, names, debug, request);
        if (names != null || debug != null) {
            return schedule(job, new Held(null, 0, 1));
        }
        Object view = crc.view();
        long now = nanoTime.getAsLong();
        while (true) {
            Held current = kept.get(variant);
            if (current != null && current.servesFor(view, now) && current.hold()) {
                return current;
            }
            Held fresh = new Held(view, now, 2); // the kept answers and this request
            if (current == null ? kept.putIfAbsent(variant, fresh) == null : kept.replace(variant, current, fresh)) {
                if (current != null) {
                    current.release();
                }
                return schedule(job, fresh);
            }
        }
    }

    private Held schedule(Job job, Held held) {
        try {
            renderer.execute(() -> render(job, held));
        } catch (RejectedExecutionException e) { // as many waiting as allowed, or the server stops
            finish(job, held,
                    Answer.busy("Busy: " + MAX_WAITING + " answers are waiting to be rendered; retry in a second"), 0);
        }
        return held;
    }

    private Held now(Answer answer) {
        Held held = new Held(null, 0, 1);
        held.complete(answer, 0);
        return held;
    }

    /**
     * As client_java: any comma-separated token of any Accept-Encoding header that is "gzip" (q-values are not
     * read).
     */
    private static boolean acceptsGzip(Enumeration<String> headers) {
        while (headers != null && headers.hasMoreElements()) {
            for (String encoding : headers.nextElement().split(",")) {
                if (encoding.trim().equalsIgnoreCase("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** On the render thread: reserves the render's room, writes the answer, keeps what it holds of the budget. */
    private void render(Job job, Held held) {
        held.sinceNanos = nanoTime.getAsLong();
        Predicate<String> filter = job.names() == null ? null
                : MetricNameFilter.builder().nameMustBeEqualTo(job.names()).build();
        long estimate = ScrapeMemory.renderBytes(formatOf(job),
                crc.seriesBound(filter == null ? name -> true : filter) + ScrapeMemory.OTHER_SERIES);
        try {
            if (!memory.reserve(estimate, ROOM_WAIT.toNanos(), this::dropKept)) {
                finish(job, held, Answer.busy(estimate > memory.budget()
                        ? "This answer needs more memory than the exporter has for one; ask for fewer families"
                                + " with name[]"
                        : "Busy: the memory for answers is taken by answers being sent; retry in a second"), 0);
                return;
            }
            Answer answer;
            try {
                answer = write(job, filter);
            } catch (IOException | RuntimeException | Error e) {
                memory.release(estimate);
                throw e;
            }
            memory.release(estimate - answer.length());
            finish(job, held, answer, answer.length());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server stops
            finish(job, held, Answer.busy("Stopping"), 0);
        } catch (Throwable e) {
            LOG.error("rendering a scrape's answer failed", e);
            finish(job, held, Answer.text(500, "Internal error while rendering the answer (a bug of crc-exporter)"), 0);
        }
    }

    private static ScrapeMemory.Format formatOf(Job job) {
        if (job.debug() != null) {
            return switch (job.debug()) {
                case "text" -> ScrapeMemory.Format.TEXT;
                case "openmetrics" -> ScrapeMemory.Format.OPENMETRICS;
                default -> ScrapeMemory.Format.PROTOBUF_DEBUG;
            };
        }
        ExpositionFormatWriter writer = job.variant().writer();
        return writer instanceof PrometheusProtobufWriter ? ScrapeMemory.Format.PROTOBUF
                : writer instanceof OpenMetricsTextFormatWriter ? ScrapeMemory.Format.OPENMETRICS
                : ScrapeMemory.Format.TEXT;
    }

    /** An answer that is not a 200 is not kept: the next request tries again. */
    private void finish(Job job, Held held, Answer answer, long bytes) {
        if (answer.status() != 200 && kept.remove(job.variant(), held)) {
            held.release();
        }
        held.complete(answer, bytes);
    }

    /** Makes room for a render: kept answers go (those being sent hold their bytes until sent). */
    private void dropKept() {
        kept.forEach((variant, held) -> {
            if (held.answer.isDone() && kept.remove(variant, held)) {
                held.release();
            }
        });
    }

    /** Exactly what client_java's PrometheusScrapeHandler writes for the same request and registry. */
    private Answer write(Job job, Predicate<String> filter) throws IOException {
        MetricSnapshots snapshots = filter == null ? registry.scrape(job.request())
                : registry.scrape(filter, job.request());
        Variant variant = job.variant();
        Body out = new Body();
        if (job.debug() != null) {
            switch (job.debug()) {
                case "text" -> formats.getPrometheusTextFormatWriter().write(out, snapshots, variant.escaping());
                case "openmetrics" -> formats.getOpenMetricsTextFormatWriter().write(out, snapshots,
                        variant.escaping());
                default -> out.write(formats.getPrometheusProtobufWriter().toDebugString(snapshots, variant.escaping())
                        .getBytes(StandardCharsets.UTF_8));
            }
            return new Answer(200, Map.of("Content-Type", "text/plain; charset=utf-8"), out.blocks(), out.length);
        }
        if (variant.gzip()) {
            try (OutputStream gzip = new GZIPOutputStream(out, Body.BLOCK)) {
                variant.writer().write(gzip, snapshots, variant.escaping());
            }
            return new Answer(200,
                    Map.of("Content-Type", variant.writer().getContentType(), "Content-Encoding", "gzip"),
                    out.blocks(), out.length);
        }
        variant.writer().write(out, snapshots, variant.escaping());
        return new Answer(200, Map.of("Content-Type", variant.writer().getContentType()), out.blocks(), out.length);
    }

    /** What a writer writes, in blocks: an answer is never copied, grown or held in a larger array than it needs. */
    private static final class Body extends OutputStream {
        static final int BLOCK = 64 * 1024;
        private final List<byte[]> blocks = new ArrayList<>();
        private int position = BLOCK;
        private long length;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            length += count;
            while (count > 0) {
                if (position == BLOCK) {
                    blocks.add(new byte[BLOCK]);
                    position = 0;
                }
                int n = Math.min(count, BLOCK - position);
                System.arraycopy(bytes, offset, blocks.get(blocks.size() - 1), position, n);
                position += n;
                offset += n;
                count -= n;
            }
        }

        /** The blocks, the last cut to what was written. */
        List<byte[]> blocks() {
            if (!blocks.isEmpty() && position < BLOCK) {
                blocks.set(blocks.size() - 1, Arrays.copyOf(blocks.get(blocks.size() - 1), position));
            }
            return List.copyOf(blocks);
        }
    }

    @Override
    public void close() {
        renderer.shutdownNow();
    }
}
