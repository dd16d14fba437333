package dev.crcexporter.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * One HTTP exchange with an upstream API, bounded whatever the peer sends: the body is capped at
 * {@link #MAX_BODY_BYTES}, the whole exchange (not only the wait for headers) at the timeout, and a
 * failed exchange never keeps its connection (see {@link RenewableHttpClient}). Every failure comes back
 * as an {@link UpstreamException} with a reason and a short, redacted, printable message. The one place
 * where upstream sources send requests.
 */
public final class BoundedExchange implements AutoCloseable {
    /** A month of 24 hours is about 70 KB; anything past this cap is not an answer of these APIs. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** Transport messages may quote what the peer sent (a whole status line): this much is kept. */
    private static final int MAX_DETAIL_CHARS = 200;

    private final Duration timeout;
    private final RenewableHttpClient clients;

    public BoundedExchange(Duration timeout) {
        this.timeout = timeout;
        this.clients = new RenewableHttpClient(() -> OnDemandTls.apply(HttpClient.newBuilder())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** An upstream's answer, whatever its status: the body is whole and at most {@link #MAX_BODY_BYTES}. */
    public record Answer(int statusCode, HttpHeaders headers, byte[] body) {}

    /**
     * Sends {@code request} (its own timeout replaced by this exchange's) and returns the answer, whatever its
     * status. {@code redact} masks the secrets the request carries in every message built from a failure.
     */
    public Answer send(HttpRequest request, UnaryOperator<String> redact) throws UpstreamException {
        RenewableHttpClient.Generation generation = clients.acquire();
        if (generation == null) {
            throw new UpstreamException(FailureReason.CONNECT, "the exporter is shutting down");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean connectionMayLinger = true;
        try {
            HttpRequest bounded = HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
            CompletableFuture<HttpResponse<InputStream>> pending =
                    generation.client().sendAsync(bounded, HttpResponse.BodyHandlers.ofInputStream());
            try {
                // The request timeout covers only the wait for headers; the deadline bounds the whole exchange.
                HttpResponse<InputStream> response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                byte[] body = cappedBody(response.body(), deadline);
                connectionMayLinger = false;
                return new Answer(response.statusCode(), response.headers(), body);
            } catch (TimeoutException e) {
                pending.cancel(true);
                throw new UpstreamException(FailureReason.TIMEOUT,
                        "no complete answer within " + timeout.toMillis() + "ms");
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                throw new UpstreamException(FailureReason.TIMEOUT, "interrupted while waiting for the answer");
            } catch (ExecutionException e) {
                // No connection was made: nothing can linger.
                connectionMayLinger = !(e.getCause() instanceof ConnectException);
                throw transportFailure(e.getCause(), redact);
            } catch (IOException e) {
                throw transportFailure(e, redact);
            }
        } finally {
            if (connectionMayLinger) {
                clients.renew(generation);
            }
            clients.release(generation);
        }
    }

    /**
     * Reads {@code body} up to one byte past the cap. The stream is closed at {@code deadline}, which ends a read
     * under way with an IOException, and in any case once read.
     */
    private static byte[] cappedBody(InputStream body, long deadline)
            throws IOException, InterruptedException, TimeoutException, UpstreamException {
        CompletableFuture<Void> expiry = new CompletableFuture<Void>()
                .orTimeout(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        expiry.whenComplete((done, late) -> closeQuietly(body));
        try {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new UpstreamException(FailureReason.MALFORMED,
                        "the body is larger than " + MAX_BODY_BYTES + " bytes, far more than any real answer");
            }
            return bytes;
        } catch (IOException e) {
            if (expiry.isCompletedExceptionally()) {
                throw new TimeoutException();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            throw e;
        } finally {
            expiry.complete(null);
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // closing is all that is wanted
        }
    }

    private static UpstreamException transportFailure(Throwable cause, UnaryOperator<String> redact) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ProtocolException) {
                return new UpstreamException(FailureReason.MALFORMED, "the answer is not valid HTTP: "
                        + detail(t, redact));
            }
        }
        String detail = detail(cause, redact);
        if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
            return new UpstreamException(FailureReason.CONNECT, "cannot connect: " + detail);
        }
        if (cause instanceof HttpTimeoutException) {
            return new UpstreamException(FailureReason.TIMEOUT, "timed out: " + detail);
        }
        if (cause instanceof IOException) {
            return new UpstreamException(FailureReason.CONNECT, "connection failed: " + detail);
        }
        return new UpstreamException(FailureReason.CONNECT, "request failed: " + detail);
    }

    /** The failure and its causes on one short printable line, redacted before it is cut. */
    private static String detail(Throwable t, UnaryOperator<String> redact) {
        String text = HttpAnswers.printable(redact.apply(describe(t)));
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String message = t.getMessage();
        String own = t.getClass().getSimpleName() + (message == null ? "" : " " + message);
        Throwable root = t.getCause();
        return root == null || root == t ? own : own + " (" + describe(root) + ")";
    }

    /** Closes the clients; an exchange still running finishes first. */
    @Override
    public void close() {
        clients.close();
    }
}
