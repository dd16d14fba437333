package dev.crcexporter.web;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a Javalin response body (the landing page) without blocking a server thread: the next piece is asked for
 * and written only when the connection can take it (servlet non-blocking I/O). A client that stops reading leaves its connection waiting,
 * holding the piece being written and nothing else, until Jetty's idle timeout closes it; no thread waits for it,
 * so it never delays anyone else.
 */
final class AsyncBody {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncBody.class);

    private AsyncBody() {}

    /**
     * Sends {@code body} once Javalin has made the request asynchronous; {@code done} runs once, when the body is
     * sent or the connection failed. Headers must be set before.
     */
    static void send(Context ctx, Pieces body, Runnable done) throws IOException {
        ServletOutputStream out = ctx.res().getOutputStream();
        ctx.future(() -> write(out, body, done));
    }

    private static CompletableFuture<Void> write(ServletOutputStream out, Pieces body, Runnable done) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        AtomicBoolean over = new AtomicBoolean();
        Runnable end = () -> {
            if (over.compareAndSet(false, true)) {
                done.run();
            }
        };
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                try {
                    while (out.isReady()) {
                        ByteBuffer piece = body.next();
                        if (piece == null) {
                            end.run();
                            finished.complete(null);
                            return;
                        }
                        out.write(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
                    }
                } catch (IOException e) {
                    onError(e);
                } catch (RuntimeException e) {
                    // A bug while rendering: the answer is cut, and Jetty aborts the connection so that no client
                    // takes a partial answer for a whole one.
                    LOG.error("rendering a response failed", e);
                    end.run();
                    finished.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable failure) {
                // The client went away or stopped reading until the idle timeout: nothing to tell anyone.
                LOG.debug("response not sent: {}", failure.toString());
                end.run();
                finished.complete(null);
            }
        });
        return finished;
    }
}
