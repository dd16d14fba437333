package dev.crcexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback ports for servers the tests cannot start on port 0, and ports that refuse connections. A port picked by
 * {@link #free} is free when this returns, not necessarily when it is used: start on port 0 where possible.
 */
public final class Ports {
    private Ports() {}

    /** A loopback port nobody listened on a moment ago. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A loopback port that refuses connections until closed: held by a socket bound to it that never listens, so
     * that no other process (a test in another JVM) can take it meanwhile, as it could a port of {@link #free}.
     */
    public static Refusing refusing() {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Refusing(socket);
    }

    /** A port that refuses connections while this is open. */
    public record Refusing(Socket socket) implements AutoCloseable {
        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
