package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.config.Secret;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.ZoomTokenHolder.Token;
import dev.crcexporter.upstream.ZoomTokenParser.TokenAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ZoomTokenHolderTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:00:00Z"));
    private final AtomicInteger requests = new AtomicInteger();

    private TokenAnswer issue(Duration lifetime) {
        return new TokenAnswer(new Secret("token-" + requests.incrementAndGet()), lifetime, "dashboard_crc:read:admin");
    }

    @Test
    void oneTokenServesUntilFiveMinutesBeforeItExpires() throws Exception {
        ZoomTokenHolder holder = new ZoomTokenHolder(() -> issue(Duration.ofHours(1)), clock);

        Token first = holder.get();
        clock.advance(Duration.ofMinutes(54).plusSeconds(59));
        assertThat(holder.get()).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        Token second = holder.get();

        assertThat(second.value().reveal()).isEqualTo("token-2");
        assertThat(second.renewAt()).isEqualTo(Instant.parse("2026-11-26T10:50:00Z"));
        assertThat(requests).hasValue(2);
    }

    @Test
    void aShortLivedTokenIsRenewedAtHalfItsLife() throws Exception {
        ZoomTokenHolder holder = new ZoomTokenHolder(() -> issue(Duration.ofMinutes(4)), clock);

        assertThat(holder.get().renewAt()).isEqualTo(Instant.parse("2026-11-26T09:02:00Z"));
    }

    @Test
    void aDroppedTokenIsReplacedButADroppedOldOneDoesNotDropTheNewOne() throws Exception {
        ZoomTokenHolder holder = new ZoomTokenHolder(() -> issue(Duration.ofHours(1)), clock);
        Token first = holder.get();

        holder.drop(first);
        Token second = holder.get();
        holder.drop(first); // a late 401 of a request that carried the old token
        assertThat(holder.get()).isSameAs(second);
        assertThat(requests).hasValue(2);
    }

    @Test
    void callersThatArriveDuringATokenRequestWaitForItAndShareItsOutcome() throws Exception {
        CountDownLatch requestStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<Boolean> fail = new ArrayList<>(List.of(true, false));
        ZoomTokenHolder holder = new ZoomTokenHolder(() -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                requestStarted.countDown();
                release.await(10, TimeUnit.SECONDS);
                boolean failNow;
                synchronized (fail) {
                    failNow = fail.remove(0);
                }
                if (failNow) {
                    throw new UpstreamException(FailureReason.AUTH, "token request refused: HTTP 401: invalid_client");
                }
                return issue(Duration.ofHours(1));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }, clock);
        List<Thread> pool = new CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task);
            pool.add(thread);
            return thread;
        });
        try {
            List<Future<Token>> first = new ArrayList<>();
            first.add(callers.submit(holder::get));
            requestStarted.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < 7; i++) {
                first.add(callers.submit(holder::get));
            }
            // Each pool thread runs one caller; seven parked on the held request's outcome have joined it.
            Poll.until(Duration.ofSeconds(5), "7 callers waiting for the held request",
                    () -> pool.stream().filter(ZoomTokenHolderTest::waitsForTheRequestInFlight).count() == 7);
            release.countDown();
            // All eight share the one failed request: none sends its own.
            for (Future<Token> caller : first) {
                assertThatThrownBy(caller::get).hasCauseInstanceOf(UpstreamException.class)
                        .hasMessageContaining("invalid_client");
            }
            assertThat(requests).hasValue(0);
            // The next callers start a new request, and share its token.
            List<Future<Token>> second = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                second.add(callers.submit(holder::get));
            }
            for (Future<Token> caller : second) {
                assertThat(caller.get(10, TimeUnit.SECONDS).value().reveal()).isEqualTo("token-1");
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(maxInFlight).as("token requests at once").hasValue(1);
        assertThat(requests).hasValue(1);
    }

    /** Parked in {@link CompletableFuture#get} called by {@code ZoomTokenHolder.get}: waiting for another's request. */
    private static boolean waitsForTheRequestInFlight(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        for (int i = 1; i < stack.length; i++) {
            if (stack[i - 1].getClassName().equals(CompletableFuture.class.getName())
                    && stack[i - 1].getMethodName().equals("get")
                    && stack[i].getClassName().equals(ZoomTokenHolder.class.getName())
                    && stack[i].getMethodName().equals("get")) {
                return thread.getState() == Thread.State.WAITING;
            }
        }
        return false;
    }
}
