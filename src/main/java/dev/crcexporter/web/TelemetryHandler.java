package dev.crcexporter.web;

import dev.crcexporter.web.toolkit.WebAccess;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET} and {@code HEAD} of the telemetry path in front of Javalin, on Jetty's own request and
 * response: every piece is written without blocking, the next one only once the connection took the last (a client
 * that stops reading costs its connection, until the idle timeout, and no thread), and a scrape costs about half
 * the CPU it costs through the servlet layer (bench/README.md). Anything else goes on to Javalin: other methods
 * (405 there), requests without the configured credentials (401 there), other paths.
 */
final class TelemetryHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryHandler.class);
    private final String path;
    private final ScrapeEndpoint scrape;
    private final Supplier<WebAccess> access;

    /**
     * @param access the users who may scrape and the headers added to every answer, as the web configuration in force
     *               says; read once per request, so a reload never mixes two configurations in one answer
     */
    TelemetryHandler(String path, ScrapeEndpoint scrape, Supplier<WebAccess> access) {
        this.path = path;
        this.scrape = scrape;
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
        Answer answer = scrape.answer(new ScrapeRequest(request), head, () -> notIdle(request));
        response.setStatus(answer.status());
        inForce.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (answer.length() >= 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length());
        }
        if (head) {
            // Without a length, a GET's answer would be chunked: commit the same way, then end.
            Callback end = Callback.from(() -> {
                answer.done().run();
                callback.succeeded();
            }, failure -> {
                answer.done().run();
                callback.failed(failure);
            });
            if (answer.length() >= 0) {
                response.write(true, BufferUtil.EMPTY_BUFFER, end);
            } else {
                response.write(false, BufferUtil.EMPTY_BUFFER, Callback.from(
                        () -> response.write(true, BufferUtil.EMPTY_BUFFER, end), end::failed));
            }
            return true;
        }
        new PieceWriter(answer, response, callback).iterate();
        return true;
    }

    /**
     * Tells Jetty the connection is busy: while a large answer is rendered nothing is written for seconds, and that
     * is no reason to close it as idle. (TLS wraps the network's end point in another; both count.)
     */
    private static void notIdle(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        while (endPoint != null) {
            if (endPoint instanceof IdleTimeout idle) {
                idle.notIdle();
            }
            endPoint = endPoint instanceof EndPoint.Wrapper wrapper ? wrapper.unwrap() : null;
        }
    }

    /**
     * Writes one piece, and asks for the next when Jetty has taken it. When the length is known, the piece that
     * completes it goes out as the last: no empty write to end the answer.
     */
    private static final class PieceWriter extends IteratingCallback {
        private final Answer answer;
        private final Response response;
        private final Callback callback;
        private long unsent;
        private boolean ended;

        PieceWriter(Answer answer, Response response, Callback callback) {
            this.answer = answer;
            this.response = response;
            this.callback = callback;
            this.unsent = answer.length();
        }

        @Override
        protected Action process() throws Throwable {
            if (ended) {
                return Action.SUCCEEDED;
            }
            ByteBuffer piece = answer.body().next();
            if (piece == null) {
                ended = true;
                response.write(true, BufferUtil.EMPTY_BUFFER, this);
            } else {
                unsent -= piece.remaining();
                ended = unsent == 0;
                response.write(ended, piece, this);
            }
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            answer.done().run();
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                LOG.debug("answer not sent: {}", cause.toString()); // the client went away or stopped reading
            } else {
                LOG.error("rendering an answer failed; its connection is closed", cause);
            }
            answer.done().run();
            callback.failed(cause); // Jetty closes the connection: no client takes a partial answer for a whole one
        }
    }

    /** Jetty's request as client_java's handler reads one. */
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
