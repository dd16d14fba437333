package dev.crcexporter.web;

import dev.crcexporter.metrics.CrcExposition;
import dev.crcexporter.metrics.CrcMetrics;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPOutputStream;

/**
 * The telemetry path. A scrape is two parts joined: the CRC families, which change only after a poll or at the
 * hour, and the {@code jvm_*}/{@code process_*} families, which change every second. Joining is valid for each
 * format client_java writes: text and protobuf are sequences of families (crc_* sort before jvm_* and process_*,
 * as client_java orders them), OpenMetrics ends with the JVM part's {@code # EOF}, and gzip members may follow
 * each other (RFC 1952; Prometheus reads them, PrometheusReadsJoinedScrapesIT).
 *
 * <p>Each part is rendered once per content and {@link Variant} and kept in a {@link PartCache}: a request of a
 * known variant only writes bytes. What is kept is bounded by the CRC cache's budget ({@link #crcBudgetBytes()} in the
 * exporter) and {@link #JVM_BUDGET_BYTES}
 * whatever clients send. A CRC part larger than what is left is streamed instead, a slice of accounts at a time;
 * at most {@link #MAX_STREAMED} such scrapes run at once, others get 503. {@code name[]}, {@code debug} and
 * formats that cannot be joined go to client_java's handler ({@link FilteredScrape}). {@link TelemetryHandler}
 * sends the answer without blocking a thread.
 */
final class ScrapeEndpoint {
    /** Rendered CRC parts kept, all variants together: a quarter of the heap, at most 32 MiB. */
    static long crcBudgetBytes() {
        return Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Rendered JVM parts kept (about 10 KB each, one per variant). */
    static final long JVM_BUDGET_BYTES = 1L << 20;
    /** Scrapes streamed at the same time; each holds one slice of one family (a few hundred KB). */
    static final int MAX_STREAMED = 8;

    private final CrcMetrics crc;
    private final CrcExposition exposition;
    private final MultiCollector jvm;
    private final ExpositionFormats formats;
    private final boolean preferUncompressed;
    private final PartCache crcParts;
    private final PartCache jvmParts = new PartCache(JVM_BUDGET_BYTES);
    private final Semaphore streamed = new Semaphore(MAX_STREAMED);
    private final FilteredScrape filtered;
    private final String lastCrcName;

    ScrapeEndpoint(CrcMetrics crc, MultiCollector jvm, FilteredScrape filtered, PrometheusProperties properties,
            PartCache crcParts) {
        this.crc = crc;
        this.exposition = new CrcExposition(crc);
        this.jvm = jvm;
        this.filtered = filtered;
        this.formats = ExpositionFormats.init(properties);
        this.preferUncompressed = properties.getExporterHttpServerProperties().isPreferUncompressedResponse();
        this.crcParts = crcParts;
        this.lastCrcName = crc.getMetricFamilyDescriptors().stream().map(d -> d.getPrometheusName())
                .max(String::compareTo).orElse("");
    }

    /**
     * The answer to a GET ({@code head} false) or HEAD of the telemetry path. {@code rendering} runs now and then
     * while a streamed answer is rendered: the connection is busy on our side, not idle.
     */
    Answer answer(PrometheusHttpRequest request, boolean head, Runnable rendering) throws IOException {
        Optional<Variant> negotiated = Variant.of(request, formats, preferUncompressed);
        if (negotiated.isEmpty() || hasHandlerParameters(request)) {
            return filtered.answer(request, head);
        }
        Variant variant = negotiated.get();
        MetricSnapshots jvmFamilies = jvm.collect();
        if (jvmFamilies.size() > 0 && jvmFamilies.get(0).getMetadata().getPrometheusName().compareTo(lastCrcName) <= 0) {
            return filtered.answer(request, head); // something registered that sorts among the CRC families: no joining
        }
        Part jvmPart = jvmParts.get(jvmFamilies, variant, out -> encode(variant, out,
                plain -> variant.writer().write(plain, jvmFamilies, variant.escaping())));
        if (jvmPart == null) {
            Part.Builder uncached = new Part.Builder(Long.MAX_VALUE);
            encode(variant, uncached, plain -> variant.writer().write(plain, jvmFamilies, variant.escaping()));
            jvmPart = uncached.build();
        }
        CrcMetrics.View view = crc.view();
        Part crcPart = crcParts.get(view, variant, out -> encode(variant, out,
                plain -> exposition.write(view, variant.writer(), variant.escaping(), plain)));

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", variant.contentType());
        if (variant.gzip()) {
            headers.put("Content-Encoding", "gzip");
        }
        if (crcPart != null) {
            return new Answer(200, headers, crcPart.length() + jvmPart.length(),
                    Pieces.concat(List.of(crcPart.pieces(), jvmPart.pieces())), () -> {});
        }
        if (head) {
            return new Answer(200, headers, -1, null, () -> {}); // a GET would stream it: no length to announce
        }
        if (!streamed.tryAcquire()) {
            return Answer.busy(MAX_STREAMED + " large scrapes are being sent already");
        }
        Pieces crcPieces = new Streamed(exposition.cursor(view, variant.writer(), variant.escaping(), rendering), variant.gzip());
        return new Answer(200, headers, -1, Pieces.concat(List.of(crcPieces, jvmPart.pieces())), streamed::release);
    }

    /** {@code name[]} or {@code debug}, or a query client_java refuses (its handler answers 400). */
    private static boolean hasHandlerParameters(PrometheusHttpRequest request) {
        if (request.getQueryString() == null) {
            return false;
        }
        try {
            return request.getParameterValues("name[]") != null || request.getParameter("debug") != null;
        } catch (RuntimeException invalidQuery) {
            return true;
        }
    }

    private interface Body {
        void write(OutputStream plain) throws IOException;
    }

    /** One gzip member per part when the client accepts gzip. */
    private static void encode(Variant variant, OutputStream out, Body body) throws IOException {
        if (!variant.gzip()) {
            body.write(out);
            return;
        }
        GZIPOutputStream gzip = new GZIPOutputStream(out, Part.BLOCK);
        body.write(gzip);
        gzip.finish();
    }

    /** The CRC part rendered while it is sent, a slice at a time, into one reused buffer. */
    private static final class Streamed implements Pieces {
        private final CrcExposition.Cursor cursor;
        private final Buffer buffer = new Buffer();
        private final GZIPOutputStream gzip;
        private boolean handedOut;
        private boolean finished;

        Streamed(CrcExposition.Cursor cursor, boolean gzip) throws IOException {
            this.cursor = cursor;
            this.gzip = gzip ? new GZIPOutputStream(buffer, Part.BLOCK) : null;
        }

        @Override
        public ByteBuffer next() throws IOException {
            if (handedOut) {
                buffer.reset(); // that piece is sent; the first one starts with the gzip header written at construction
            }
            handedOut = true;
            while (!finished) {
                if (!cursor.writeNext(gzip != null ? gzip : buffer)) {
                    finished = true;
                    if (gzip != null) {
                        gzip.finish();
                    }
                }
                if (buffer.size() > 0) {
                    return buffer.view(); // the deflater may keep a slice to itself; then try the next one
                }
            }
            return null;
        }
    }

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(Part.BLOCK);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
