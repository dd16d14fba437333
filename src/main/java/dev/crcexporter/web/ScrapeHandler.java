package dev.crcexporter.web;

import dev.crcexporter.web.toolkit.WebAccess;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;

/** Serves {@code GET} and {@code HEAD} of the telemetry path with the answers of {@link Answers}. */
final class ScrapeHandler extends AnswerHandler {
    private final Answers answers;

    ScrapeHandler(String path, Answers answers, Supplier<WebAccess> access) {
        super(path, access);
        this.answers = answers;
    }

    @Override
    void answer(Request request, Reply reply) {
        // Waiting for a render (seconds with thousands of accounts) is no reason to close the connection. Jetty asks
        // only while nothing is being written: a client that stops reading an answer is still cut off.
        request.addIdleTimeoutListener(timeout -> false);
        Answers.Held held = answers.answer(new ScrapeRequest(request));
        held.answer.thenAccept(answer -> reply.send(answer, held::release));
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        answers.close();
    }

    /** Jetty's request as client_java reads one. */
    private record ScrapeRequest(Request request) implements PrometheusHttpRequest {
        @Override
        public String getQueryString() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return Collections.enumeration(request.getHeaders().getValuesList(name));
        }

        @Override
        public String getMethod() {
            return request.getMethod();
        }

        @Override
        public String getRequestPath() {
            return Request.getPathInContext(request);
        }
    }
}
