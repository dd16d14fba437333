package dev.crcexporter.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FormData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The CRC usage API as documented, on loopback port 0, for tests: it checks the credentials, answers
 * the days it was given (the test decides which, in which order), records every request, and can be
 * told to misbehave.
 */
public final class FakeCrcApi implements AutoCloseable {
    public static final String PATH = "/umeeting/share/crcUsage";

    /**
     * What arrived: the HTTP method, the content type, the parameters from body or query, and when
     * ({@link System#nanoTime()}).
     */
    public record Request(String method, String contentType, String rawQuery, Map<String, String> params,
            long receivedNanos) {
        public String apiKey() {
            return params.getOrDefault("api_key", "");
        }
    }

    /** How the body travels. */
    public enum Framing {
        /** With its Content-Length, whole. */
        WHOLE,
        /** Chunked, the body repeated without end until the client hangs up. */
        ENDLESS,
        /** Content-Length of the whole body, but the connection closes after half of it. */
        CUT_SHORT,
        /** Content-Length of the whole body, sent a byte every 100 ms until the client hangs up. */
        TRICKLE
    }

    /** What to send back. */
    public record Response(int status, Map<String, String> headers, String body, Duration delay, Framing framing) {
        public Response(int status, Map<String, String> headers, String body, Duration delay) {
            this(status, headers, body, delay, Framing.WHOLE);
        }

        public static Response json(String body) {
            return new Response(200, Map.of("Content-Type", "application/json"), body, Duration.ZERO);
        }

        public Response delayed(Duration by) {
            return new Response(status, headers, body, by, framing);
        }

        public Response framed(Framing how) {
            return new Response(status, headers, body, delay, how);
        }
    }

    private final LoopbackHttpServer server;
    private final Map<String, String> secretsByKey = new ConcurrentHashMap<>();
    private final Map<String, List<DailyUsage>> daysByKey = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile Function<Request, Response> behaviour = this::documentedAnswer;

    public FakeCrcApi() throws IOException {
        server = new LoopbackHttpServer("fake-crc-api", Map.of(PATH, this::handle));
    }

    public URI url() {
        return URI.create(server.base() + PATH);
    }

    /** Registers an account and the days the API answers for it, in this order. */
    public FakeCrcApi account(String apiKey, String apiSecret, List<DailyUsage> days) {
        secretsByKey.put(apiKey, apiSecret);
        daysByKey.put(apiKey, List.copyOf(days));
        return this;
    }

    /** Replaces the behaviour; {@link #documentedAnswer} is the default. */
    public void behave(Function<Request, Response> behaviour) {
        this.behaviour = behaviour;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long requestsFor(String apiKey) {
        return requests.stream().filter(r -> apiKey.equals(r.params().get("api_key"))).count();
    }

    /** The arrival times ({@link System#nanoTime()}) of the requests with this key, in order. */
    public List<Long> arrivalsFor(String apiKey) {
        return requests.stream().filter(r -> apiKey.equals(r.apiKey())).map(Request::receivedNanos).toList();
    }

    /**
     * The most requests that were being answered at the same time. A whole answer counts as given once its headers
     * go out: the client may send its next request as soon as it has the last byte, before this server's handler
     * has returned, and that request overlaps none of the client's.
     */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** Requests being answered right now. */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** Body bytes handed to the network so far, all responses together. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Like the real API: HTTP 200 always, {@code status} 200 with data, or an error status and message. */
    public Response documentedAnswer(Request request) {
        String key = request.params().get("api_key");
        String secret = secretsByKey.get(key == null ? "" : key);
        if (secret == null || !secret.equals(request.params().get("api_secret"))) {
            return Response.json(ApiAnswers.error(401, "invalid api_key or api_secret"));
        }
        if (request.params().get("from") == null || request.params().get("to") == null) {
            return Response.json(ApiAnswers.error(400, "from and to are required"));
        }
        return Response.json(ApiAnswers.success(daysByKey.get(key)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String rawQuery = exchange.getRequestURI().getRawQuery();
            Map<String, String> params = "POST".equals(exchange.getRequestMethod()) ? FormData.decode(body)
                    : FormData.decode(rawQuery);
            Request request = new Request(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), rawQuery, params, System.nanoTime());
            requests.add(request);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            AtomicBoolean answered = new AtomicBoolean();
            Runnable answering = () -> {
                if (answered.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            };
            try {
                send(exchange, behaviour.apply(request), bytesSent::addAndGet, answering);
            } finally {
                answering.run();
            }
        } catch (IOException e) {
            // the client gave up (timeouts, capped bodies): nothing to do
        }
    }

    /** Sends {@code response} as told (delay, framing); {@code sent} learns how many body bytes went out. */
    static void send(HttpExchange exchange, Response response, LongConsumer sent) throws IOException {
        send(exchange, response, sent, () -> { });
    }

    /** As above; {@code answering} runs as a whole answer's headers go out, before the client can have it all. */
    private static void send(HttpExchange exchange, Response response, LongConsumer sent, Runnable answering)
            throws IOException {
        if (!response.delay().isZero()) {
            try {
                Thread.sleep(response.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        switch (response.framing()) {
            case WHOLE -> {
                answering.run();
                exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        write(out, bytes, bytes.length, sent);
                    }
                }
            }
            case ENDLESS -> {
                exchange.sendResponseHeaders(response.status(), 0);
                OutputStream out = exchange.getResponseBody();
                while (!Thread.currentThread().isInterrupted()) {
                    write(out, bytes, bytes.length, sent); // ends with an IOException when the client hangs up
                }
            }
            case CUT_SHORT -> {
                exchange.sendResponseHeaders(response.status(), bytes.length);
                OutputStream out = exchange.getResponseBody();
                write(out, bytes, bytes.length / 2, sent);
                out.flush();
                // Closing the exchange now (try-with-resources in handle) drops the connection mid-body.
                throw new IOException("cut short on purpose");
            }
            case TRICKLE -> {
                exchange.sendResponseHeaders(response.status(), bytes.length);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < bytes.length && !Thread.currentThread().isInterrupted(); i++) {
                    out.write(bytes[i]); // ends with an IOException when the client hangs up
                    out.flush();
                    sent.accept(1);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private static void write(OutputStream out, byte[] bytes, int length, LongConsumer sent) throws IOException {
        for (int offset = 0; offset < length; offset += 64 * 1024) {
            int n = Math.min(64 * 1024, length - offset);
            out.write(bytes, offset, n);
            sent.accept(n);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
