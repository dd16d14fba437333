package dev.crcexporter.upstream;

import java.net.http.HttpClient;
import java.util.function.Supplier;

/**
 * An {@link HttpClient} that is replaced by a fresh one after an exchange left it in an unknown state.
 *
 * <p>Why: when the JDK's HTTP/1.1 client fails to parse a response head (an invalid status line, a header
 * block over {@code jdk.http.maxHeaderSize}, more interim 1xx answers than {@code
 * jdk.httpclient.maxNonFinalResponses}), it fails the exchange but never closes its connection: the
 * socket, the half-parsed headers and the unread bytes stay with the client for as long as it lives
 * (JDK 17 to 25 alike; see the closing note of issue 15). Nothing outside the client can reach that
 * connection, so the whole client is retired instead and closed once no other exchange still runs on it.
 */
final class RenewableHttpClient implements AutoCloseable {
    /** One client and the exchanges running on it. */
    static final class Generation {
        private final HttpClient client;
        private int inFlight;
        private boolean retired;
        private boolean closed;

        private Generation(HttpClient client) {
            this.client = client;
        }

        HttpClient client() {
            return client;
        }
    }

    private final Supplier<HttpClient> factory;
    private Generation current;
    private boolean closed;

    RenewableHttpClient(Supplier<HttpClient> factory) {
        this.factory = factory;
        this.current = new Generation(factory.get());
    }

    /** The client for one exchange; {@link #release} it when the exchange is over. Null once closed. */
    synchronized Generation acquire() {
        if (closed) {
            return null;
        }
        current.inFlight++;
        return current;
    }

    /** The exchange on {@code generation} is over, whatever its outcome. */
    void release(Generation generation) {
        HttpClient toClose;
        synchronized (this) {
            generation.inFlight--;
            toClose = closeIfIdle(generation);
        }
        HttpClientShutdown.close(toClose);
    }

    /**
     * The exchange on {@code generation} failed in a way that may have left a connection open: later
     * exchanges get a fresh client, and this one is closed as soon as no exchange runs on it any more.
     */
    void renew(Generation generation) {
        synchronized (this) {
            if (generation == current && !closed) {
                current = new Generation(factory.get());
            }
            generation.retired = true;
        }
    }

    private HttpClient closeIfIdle(Generation generation) {
        if (generation.retired && generation.inFlight == 0 && !generation.closed) {
            generation.closed = true;
            return generation.client;
        }
        return null;
    }

    /** No new exchanges; the current client is closed once the exchanges still running on it are over. */
    @Override
    public void close() {
        HttpClient toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current.retired = true;
            toClose = closeIfIdle(current);
        }
        HttpClientShutdown.close(toClose);
    }
}
