package dev.crcexporter.web;

import io.javalin.http.Context;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.servlet.jakarta.HttpExchangeAdapter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The telemetry path. client_java's {@link PrometheusScrapeHandler} negotiates the format (text,
 * OpenMetrics, protobuf, gzip, {@code name[]}) and renders; this keeps its answer and sends it again
 * as long as the registry returns the very same metric families, which it does between polls (the
 * CRC families are rebuilt only after a poll, the JVM ones at most once a second). Requests with a
 * query string always go straight to the handler.
 */
final class ScrapeEndpoint {
    /** Distinct Accept / Accept-Encoding combinations kept; real scrapers use one or two. */
    private static final int MAX_VARIANTS = 16;

    private final PrometheusRegistry registry;
    private final PrometheusScrapeHandler handler;
    private final Map<String, Rendered> byVariant = new ConcurrentHashMap<>();

    private record Rendered(List<MetricSnapshot> families, int status, Map<String, String> headers, byte[] body) {}

    ScrapeEndpoint(PrometheusRegistry registry, PrometheusScrapeHandler handler) {
        this.registry = registry;
        this.handler = handler;
    }

    void handle(Context ctx) throws IOException {
        HttpExchangeAdapter exchange = new HttpExchangeAdapter(ctx.req(), ctx.res());
        if (ctx.req().getQueryString() != null) {
            handler.handleRequest(exchange);
            return;
        }
        String variant = ctx.req().getHeader("Accept") + "\n" + ctx.req().getHeader("Accept-Encoding");
        List<MetricSnapshot> families = registry.scrape().stream().toList();
        Rendered rendered = byVariant.get(variant);
        if (rendered == null || !sameObjects(rendered.families(), families)) {
            // One request renders, the others of the same moment wait for it instead of rendering too.
            synchronized (this) {
                rendered = byVariant.get(variant);
                if (rendered == null || !sameObjects(rendered.families(), families)) {
                    rendered = render(exchange.getRequest(), families);
                    if (rendered.status() == 200 && (byVariant.size() < MAX_VARIANTS || byVariant.containsKey(variant))) {
                        byVariant.put(variant, rendered);
                    }
                }
            }
        }
        HttpServletResponse response = ctx.res();
        response.setStatus(rendered.status());
        rendered.headers().forEach(response::setHeader);
        response.setContentLength(rendered.body().length);
        response.getOutputStream().write(rendered.body());
    }

    private Rendered render(PrometheusHttpRequest request, List<MetricSnapshot> families) throws IOException {
        Capture capture = new Capture(request);
        handler.handleRequest(capture);
        return new Rendered(families, capture.status, Map.copyOf(capture.headers), capture.body.toByteArray());
    }

    private static boolean sameObjects(List<MetricSnapshot> a, List<MetricSnapshot> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** An exchange that records what the handler answers instead of sending it. */
    private static final class Capture implements PrometheusHttpExchange, PrometheusHttpResponse {
        private final PrometheusHttpRequest request;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
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
