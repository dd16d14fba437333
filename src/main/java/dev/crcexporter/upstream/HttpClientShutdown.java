package dev.crcexporter.upstream;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an {@link HttpClient} and every connection it still holds, as far as the runtime allows.
 *
 * <ul>
 *   <li>Java 21+: {@code HttpClient.shutdownNow()}, public API (looked up at run time: the code targets 17).
 *   <li>Java 17 has no way to close a client. Dropping it is not enough either: its selector thread lives
 *       until a garbage collection clears the client, and some 17 updates (17.0.15, tested here) do not close
 *       the connections even then, so their descriptors leak for good. So the client's own selector is reached by
 *       reflection: its channels are closed and its thread is stopped. That needs {@code --add-opens
 *       java.net.http/jdk.internal.net.http=ALL-UNNAMED}, which the jar's manifest grants when started with
 *       {@code java -jar}; without it the client is dropped and a warning says so, once.
 * </ul>
 *
 * <p>What the Java 17 path buys ({@code it/UpstreamResourceBoundsIT}, issue 25, Java 17.0.15, 60 broken answers of
 * each kind): with it, no socket to the upstream is left and the heap after GC moves by at most 0.2 MiB; with the
 * client dropped instead, 60 sockets to the upstream stay open (one per broken answer) and the heap grows by up to
 * 3.5 MiB. The Docker image runs Java 17 too: on Java 25 that test passed once and failed once (heap +1.7 MiB).
 */
final class HttpClientShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(HttpClientShutdown.class);
    private static final Method SHUTDOWN_NOW = shutdownNowMethod();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private HttpClientShutdown() {}

    /** Closes {@code client} (nothing when null); never throws. */
    static void close(HttpClient client) {
        if (client == null) {
            return;
        }
        try {
            if (SHUTDOWN_NOW != null) {
                SHUTDOWN_NOW.invoke(client);
            } else {
                closeThroughSelector(client);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.atWarn().setMessage("this Java runtime does not let crc-exporter close the HTTP connections that a"
                                + " broken upstream answer leaves open; run it on Java 21 or later, or with"
                                + " --add-opens java.net.http/jdk.internal.net.http=ALL-UNNAMED (java -jar does that)")
                        .addKeyValue("java_version", Runtime.version())
                        .addKeyValue("err", e.getClass().getSimpleName()).log();
            }
        }
    }

    private static Method shutdownNowMethod() {
        try {
            return HttpClient.class.getMethod("shutdownNow");
        } catch (NoSuchMethodException javaBefore21) {
            return null;
        }
    }

    /** Java 17: closes the channels registered with the client's selector, then stops its selector thread. */
    private static void closeThroughSelector(HttpClient client) throws ReflectiveOperationException {
        Object impl = field(client, "impl");
        Object selectorManager = field(impl, "selmgr");
        Selector selector = (Selector) field(selectorManager, "selector");
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing is all that is wanted; a channel that cannot close is closed enough
            }
        }
        // The selector thread exits, closes the selector (which releases the channels' descriptors) and stops the
        // client.
        ((Thread) selectorManager).interrupt();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }
}
