package dev.crcexporter.upstream;

import dev.crcexporter.config.Secret;
import dev.crcexporter.upstream.ZoomTokenParser.TokenAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The access token of one Zoom account, whoever asks for it (the poller, its retries, the landing page's history,
 * backfill): at most one token request in flight; callers that arrive meanwhile wait for that request and share its
 * outcome, success or failure. A token is renewed {@link #RENEW_BEFORE_EXPIRY} before it expires (half its
 * lifetime for short ones), counted from when it was asked for; a 401 drops it ({@link #drop}).
 *
 * <p>Time is the injected {@link Clock}'s: a wall-clock step can make a token look fresher than it is, and then
 * the metrics call's 401 renews it.
 */
final class ZoomTokenHolder {
    /** Minutes, not seconds: a poll (with its retries) that starts just before the renewal still has a valid token. */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    /** A token and when to stop using it. */
    record Token(Secret value, Instant renewAt) {}

    /** Sends one token request; failures come back as {@link UpstreamException}. */
    interface Requester {
        TokenAnswer request() throws UpstreamException;
    }

    private final Requester requester;
    private final Clock clock;
    private Token current;
    private CompletableFuture<Token> pending;

    ZoomTokenHolder(Requester requester, Clock clock) {
        this.requester = requester;
        this.clock = clock;
    }

    /** A token that is not due for renewal; asks for a new one (or waits for the one being asked for) when needed. */
    Token get() throws UpstreamException {
        CompletableFuture<Token> outcome;
        boolean ours = false;
        Instant now = clock.instant();
        synchronized (this) {
            if (current != null && now.isBefore(current.renewAt())) {
                return current;
            }
            if (pending == null) {
                pending = new CompletableFuture<>();
                ours = true;
            }
            outcome = pending;
        }
        if (ours) {
            request(outcome, now);
        }
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(FailureReason.TIMEOUT, "interrupted while waiting for a token");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamException upstream) {
                throw upstream;
            }
            throw new IllegalStateException("token request failed", e.getCause());
        }
    }

    private void request(CompletableFuture<Token> outcome, Instant askedAt) {
        try {
            TokenAnswer answer = requester.request();
            Duration lifetime = answer.lifetime();
            Duration use = lifetime.minus(RENEW_BEFORE_EXPIRY);
            Token token = new Token(answer.accessToken(), askedAt.plus(use.compareTo(lifetime.dividedBy(2)) < 0
                    ? lifetime.dividedBy(2) : use));
            synchronized (this) {
                current = token;
                pending = null;
            }
            outcome.complete(token);
        } catch (Throwable failure) {
            synchronized (this) {
                pending = null;
            }
            outcome.completeExceptionally(failure);
        }
    }

    /**
     * The metrics call refused {@code token}: the next {@link #get} asks for a new one (unless one was already
     * issued).
     */
    synchronized void drop(Token token) {
        if (current == token) {
            current = null;
        }
    }

    /** The token in use, if any, for redaction. */
    synchronized Secret currentValue() {
        return current == null ? null : current.value();
    }
}
