package dev.crcexporter.web;

import dev.crcexporter.metrics.CrcMetrics;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * Scrapes that client_java's {@link PrometheusScrapeHandler} answers unchanged: {@code name[]} filters,
 * {@code ?debug=}, and formats that cannot be joined. The handler builds every family it sends and holds the whole
 * answer, so these run one at a time (another gets 503 meanwhile) and only up to {@link #maxSeries} series: with
 * 10,000 accounts, {@code name[]=crc_ports_max_usage} alone would be 480,000 of them.
 */
final class FilteredScrape {
    /** Heap one series costs while the handler builds and renders it (data point, labels, text, buffer growth). */
    static final long HEAP_BYTES_PER_SERIES = 600;
    /** The JVM families: about 100 series whatever the filter. */
    private static final long JVM_SERIES = 200;

    private final PrometheusScrapeHandler handler;
    private final CrcMetrics crc;
    private final long maxSeries;
    private final Semaphore oneAtATime = new Semaphore(1);

    FilteredScrape(PrometheusScrapeHandler handler, CrcMetrics crc, long maxSeries) {
        this.handler = handler;
        this.crc = crc;
        this.maxSeries = maxSeries;
    }

    /** As many series as a quarter of the heap holds. */
    static long defaultMaxSeries() {
        return Runtime.getRuntime().maxMemory() / 4 / HEAP_BYTES_PER_SERIES;
    }

    Answer answer(PrometheusHttpRequest request, boolean head) throws IOException {
        if (!oneAtATime.tryAcquire()) {
            return Answer.busy("another filtered scrape is being answered");
        }
        try {
            String[] names = request.getParameterValues("name[]");
            Predicate<String> included = names == null ? name -> true : MetricNameFilter.builder().nameMustBeEqualTo(names).build();
            long series = crc.seriesBound(included) + JVM_SERIES;
            if (series > maxSeries) {
                oneAtATime.release();
                return Answer.busy("this filter selects up to " + series + " series, more than the " + maxSeries
                        + " a filtered scrape may build; scrape without name[] (that answer is streamed)");
            }
            Capture capture = new Capture(request);
            handler.handleRequest(capture);
            Part body = capture.body.build();
            long length = head && capture.headers.containsKey("Content-Length")
                    ? Long.parseLong(capture.headers.get("Content-Length")) : body.length();
            capture.headers.remove("Content-Length");
            return new Answer(capture.status, capture.headers, length, body.pieces(), oneAtATime::release);
        } catch (IOException | RuntimeException e) {
            oneAtATime.release();
            throw e;
        }
    }

    /** An exchange that keeps what the handler answers, to send it without blocking a thread. */
    private static final class Capture implements PrometheusHttpExchange, PrometheusHttpResponse {
        private final PrometheusHttpRequest request;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Part.Builder body = new Part.Builder(Long.MAX_VALUE);
        private int status = 500;

        Capture(PrometheusHttpRequest request) {
            this.request = request;
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return request;
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return this;
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
            status = statusCode;
            return body;
        }

        @Override
        public void handleException(IOException e) throws IOException {
            throw e;
        }

        @Override
        public void handleException(RuntimeException e) {
            throw e;
        }

        @Override
        public void close() {
            // nothing was opened
        }
    }
}
