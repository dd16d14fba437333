package dev.crcexporter.web;

import dev.crcexporter.web.toolkit.WebAccess;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET} and {@code HEAD} of the telemetry path in front of Javalin, on Jetty's own request and response,
 * with the answers of {@link Answers}. An answer is written a slice at a time without blocking: a client that stops
 * reading costs its connection until the idle timeout, and no thread. Anything else goes on to Javalin: other methods
 * (405 there), requests without the configured credentials (401 there), other paths.
 */
final class ScrapeHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeHandler.class);
    private final String path;
    private final Answers answers;
    private final Supplier<WebAccess> access;

    /**
     * @param access the users who may scrape and the headers added to every answer, as the web configuration in force
     *               says; read once per request, so a reload never mixes two configurations in one answer
     */
    ScrapeHandler(String path, Answers answers, Supplier<WebAccess> access) {
        this.path = path;
        this.answers = answers;
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!path.equals(Request.getPathInContext(request)) || !(head || HttpMethod.GET.is(request.getMethod()))) {
            return super.handle(request, response, callback);
        }
        WebAccess inForce = access.get();
        if (!inForce.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(request, response, callback); // Javalin answers 401, with the configured headers
        }
        // Waiting for a render (seconds with thousands of accounts) is no reason to close the connection. Jetty asks
        // only while nothing is being written: a client that stops reading an answer is still cut off.
        request.addIdleTimeoutListener(timeout -> false);
        Answers.Held held = answers.answer(new ScrapeRequest(request));
        held.answer.thenAccept(answer -> {
            Callback sent = Callback.from(callback, held::release);
            try {
                response.setStatus(answer.status());
                inForce.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length());
                if (head || answer.length() == 0) {
                    response.write(true, BufferUtil.EMPTY_BUFFER, sent);
                } else {
                    new Slices(answer, response, sent).iterate();
                }
            } catch (RuntimeException e) {
                sent.failed(e);
            }
        });
        return true;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        answers.close();
    }

    /**
     * Writes the body a block at a time, the next when Jetty has taken the last (small writes also keep the JDK from
     * copying a whole answer into a native buffer of its size).
     */
    private static final class Slices extends IteratingCallback {
        private final List<byte[]> blocks;
        private final Response response;
        private final Callback callback;
        private int next;

        Slices(Answers.Answer answer, Response response, Callback callback) {
            this.blocks = answer.body();
            this.response = response;
            this.callback = callback;
        }

        @Override
        protected Action process() {
            if (next == blocks.size()) {
                return Action.SUCCEEDED;
            }
            ByteBuffer block = ByteBuffer.wrap(blocks.get(next++));
            response.write(next == blocks.size(), block, this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                LOG.debug("answer not sent: {}", cause.toString()); // the client went away or stopped reading
            } else {
                LOG.error("sending an answer failed; its connection is closed", cause);
            }
            callback.failed(cause); // Jetty closes the connection: no client takes a partial answer for a whole one
        }
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
