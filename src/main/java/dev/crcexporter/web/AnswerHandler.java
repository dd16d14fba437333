package dev.crcexporter.web;

import dev.crcexporter.web.toolkit.WebAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * Serves {@code GET} and {@code HEAD} of one path in front of Javalin, on Jetty's own request and response, and sends
 * each answer without blocking: a block at a time, the next when Jetty has taken the last. A client that stops
 * reading costs its connection until the idle timeout, and no thread. {@code HEAD} answers the status and headers of
 * {@code GET}. Anything else goes on to Javalin: other methods (405 there), requests without the configured
 * credentials (401 there), other paths.
 */
abstract class AnswerHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerHandler.class);
    private final String path;
    private final Supplier<WebAccess> access;

    /** Sends an answer; {@code sent} runs once it is sent, or could not be. */
    interface Reply {
        void send(Answers.Answer answer, Runnable sent);
    }

    /**
     * @param access the users who may ask and the headers added to every answer, as the web configuration in force
     *               says; read once per request, so a reload never mixes two configurations in one answer
     */
    AnswerHandler(String path, Supplier<WebAccess> access) {
        this.path = path;
        this.access = access;
    }

    /** Answers {@code request} (a GET or HEAD of the path, allowed) through {@code reply}, now or later, once. */
    abstract void answer(Request request, Reply reply);

    @Override
    public final boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!path.equals(Request.getPathInContext(request)) || !(head || HttpMethod.GET.is(request.getMethod()))) {
            return super.handle(request, response, callback);
        }
        WebAccess inForce = access.get();
        if (!inForce.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(request, response, callback); // Javalin answers 401, with the configured headers
        }
        answer(request, (answer, sent) -> {
            Callback done = Callback.from(callback, sent);
            try {
                response.setStatus(answer.status());
                inForce.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length());
                if (head || answer.length() == 0) {
                    response.write(true, BufferUtil.EMPTY_BUFFER, done);
                } else {
                    new Blocks(answer.body(), response, done).iterate();
                }
            } catch (RuntimeException e) {
                done.failed(e);
            }
        });
        return true;
    }

    /**
     * Writes the body a block at a time, the next when Jetty has taken the last (small writes also keep the JDK from
     * copying a whole answer into a native buffer of its size).
     */
    private static final class Blocks extends IteratingCallback {
        private final List<byte[]> blocks;
        private final Response response;
        private final Callback callback;
        private int next;

        Blocks(List<byte[]> blocks, Response response, Callback callback) {
            this.blocks = blocks;
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
}
