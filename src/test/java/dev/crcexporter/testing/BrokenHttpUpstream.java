package dev.crcexporter.testing;

import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.upstream.FormData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream that speaks broken HTTP/1.1 over a raw loopback socket, as a captive proxy or a broken
 * load balancer might: what {@link FakeCrcApi} (a real HTTP server) cannot send. It answers every request
 * in the current {@link Mode}; the documented (empty) answer in {@link Mode#GOOD}. It counts requests and
 * knows which connections the client still holds open.
 */
public final class BrokenHttpUpstream implements AutoCloseable {
    /** What every answer looks like. */
    public enum Mode {
        /** The documented answer, no days, {@code Connection: close}. */
        GOOD,
        /** A status line, then header lines far over the JDK's 384 KiB limit; the connection is then held open. */
        OVERSIZED_HEADER_BLOCK,
        /** A status line that is not HTTP; the server closes the connection (the client is left in CLOSE-WAIT). */
        INVALID_STATUS_LINE,
        /** Twenty interim {@code 103} answers and no final one; the connection is then held open. */
        INTERIM_1XX_FLOOD,
        /** A status line, then one header line every 20 ms, never the empty line that ends them. */
        ENDLESS_HEADERS
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");
    private static final int MAX_REQUEST_HEAD = 64 * 1024;

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Mode, AtomicInteger> answered = new ConcurrentHashMap<>();
    private volatile Mode mode = Mode.GOOD;
    /** Text the invalid status line carries (an echo of the request, for the secrets tests). */
    private volatile String statusLineText = "OK but not HTTP";
    private volatile boolean closed;

    public BrokenHttpUpstream() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "broken-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + FakeCrcApi.PATH);
    }

    public int port() {
        return server.getLocalPort();
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /**
     * The invalid status line becomes {@code HTTP/1.1 <text>}, where {@code {secret}} is replaced by the request's
     * api_secret.
     */
    public void invalidStatusLineText(String text) {
        this.statusLineText = text;
    }

    public int requests() {
        return requests.get();
    }

    /** Requests answered in {@code mode} so far. */
    public int answered(Mode mode) {
        return answered.computeIfAbsent(mode, m -> new AtomicInteger()).get();
    }

    /** Connections that the client has not closed yet (the server closes its side only where the mode says so). */
    public int connectionsOpenByClient() {
        return open.size();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread handler = new Thread(() -> serve(socket), "broken-upstream-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String request = readRequest(in);
            if (request == null) {
                return;
            }
            requests.incrementAndGet();
            Mode now = mode;
            answered.computeIfAbsent(now, m -> new AtomicInteger()).incrementAndGet();
            OutputStream out = socket.getOutputStream();
            switch (now) {
                case GOOD -> {
                    byte[] body = ApiAnswers.success(List.of()).getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    return;
                }
                case OVERSIZED_HEADER_BLOCK -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\n"));
                    byte[] line = ascii("X-Padding: " + "a".repeat(1000) + "\r\n");
                    for (int i = 0; i < 512; i++) {
                        out.write(line);
                    }
                    out.flush();
                }
                case INVALID_STATUS_LINE -> {
                    String secret = FormData.decode(body(request)).getOrDefault("api_secret", "");
                    out.write(("HTTP/1.1 " + statusLineText.replace("{secret}", secret) + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                case INTERIM_1XX_FLOOD -> {
                    for (int i = 0; i < 20; i++) {
                        out.write(ascii("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"));
                    }
                    out.flush();
                }
                case ENDLESS_HEADERS -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\n"));
                    for (int i = 0; !closed; i++) {
                        out.write(ascii("X-Still-Coming-" + i + ": a\r\n"));
                        out.flush(); // fails once the client has closed the connection
                        Thread.sleep(20);
                    }
                }
            }
            // Hold the connection: a hostile upstream never closes first. Ends when the client closes.
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or this server closes
        } finally {
            open.remove(socket);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The request head and body, or null when the client hung up first. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0 || head.size() > MAX_REQUEST_HEAD) {
                return null;
            }
            head.write(b);
            last4 = last4 << 8 | b;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = CONTENT_LENGTH.matcher(text);
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        byte[] body = in.readNBytes(bodyLength);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    private static String body(String request) {
        int at = request.indexOf("\r\n\r\n");
        return at < 0 ? "" : request.substring(at + 4);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
    }

    @Override
    public String toString() {
        return "BrokenHttpUpstream[" + mode.name().toLowerCase(Locale.ROOT) + " on port " + port() + "]";
    }
}
