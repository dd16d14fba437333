package dev.crcexporter.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server on a loopback port, each request on a daemon thread of its own; the fake APIs serve from
 * it.
 */
final class LoopbackHttpServer implements AutoCloseable {
    static {
        // The JDK's HTTP server leaves Nagle's algorithm on, so a response's body waits for the client's delayed ACK
        // of its headers (about 40 ms a request). It reads the setting once, when its first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers;

    /** Serving {@code handlersByPath} now; request threads are named {@code threadName}. */
    LoopbackHttpServer(String threadName, Map<String, HttpHandler> handlersByPath) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        handlersByPath.forEach(server::createContext);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stops serving and interrupts the handlers still running (those that sleep to simulate a hanging API too). */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
