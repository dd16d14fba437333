package dev.crcexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports for servers the tests cannot start on port 0. A port picked here is free when this
 * returns, not necessarily when it is used: start on port 0 where possible.
 */
public final class Ports {
    private Ports() {}

    /** A loopback port nobody listened on a moment ago: free to listen on, or certain to refuse connections. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
