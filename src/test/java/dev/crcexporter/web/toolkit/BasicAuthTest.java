package dev.crcexporter.web.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.Http;
import dev.crcexporter.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

class BasicAuthTest {
    private static final String HASH = BCrypt.hashpw("correct horse", BCrypt.gensalt(4));
    /** How long a check held by the test may take to be reached by the callers: a bound, not an expectation. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final AtomicLong nanos = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Real bcrypt, counting the checks (the gate stays open). */
    private final GatedCheck bcrypt = new GatedCheck();

    /** A clock the test moves, real bcrypt. */
    private BasicAuth auth() {
        return new BasicAuth(Map.of("alice", HASH), nanos::get, bcrypt);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void acceptsEveryBcryptPrefixHtpasswdWrites() {
        for (String prefix : new String[] {"$2a$", "$2b$", "$2y$"}) {
            BasicAuth auth = new BasicAuth(Map.of("alice", prefix + HASH.substring(4)));
            assertThat(auth.allows(Http.basic("alice", "correct horse"))).as(prefix).isTrue();
        }
    }

    @Test
    void refusesWrongPasswordsUnknownUsersAndMalformedHeaders() {
        BasicAuth auth = new BasicAuth(Map.of("alice", HASH));

        assertThat(auth.allows(Http.basic("alice", "wrong"))).isFalse();
        assertThat(auth.allows(Http.basic("mallory", "correct horse"))).isFalse();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.allows("Bearer abc")).isFalse();
        assertThat(auth.allows("Basic !!!not-base64")).isFalse();
        assertThat(auth.allows("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()))).isFalse();
        assertThat(auth.allows(Http.basic("alice", "x".repeat(100)))).isFalse();
    }

    @Test
    void aSuccessIsRememberedWhileItKeepsBeingUsed() {
        BasicAuth auth = auth();

        for (int i = 0; i < 10; i++) {
            assertThat(auth.allows(Http.basic("alice", "correct horse"))).isTrue();
            advance(BasicAuth.SUCCESS_TTL.minusSeconds(1)); // a scraper that comes back just in time, again and again
        }
        assertThat(bcrypt.started).hasValue(1);

        advance(BasicAuth.SUCCESS_TTL);
        assertThat(auth.allows(Http.basic("alice", "correct horse"))).isTrue();
        assertThat(bcrypt.started).as("checked again after a pause longer than the TTL").hasValue(2);
    }

    @Test
    void aRememberedSuccessLetsInOnlyThePasswordThatEarnedIt() {
        BasicAuth auth = auth();
        assertThat(auth.allows(Http.basic("alice", "correct horse"))).isTrue();

        assertThat(auth.allows(Http.basic("alice", "wrong"))).isFalse();
        assertThat(auth.allows(Http.basic("alice", "correct horse"))).as("still remembered after a wrong one").isTrue();
        assertThat(bcrypt.started).as("checks: the right password once, the wrong one once").hasValue(2);
    }

    @Test
    void unknownUsersCostABcryptCheckOfTheHighestConfiguredCost() {
        BasicAuth auth = new BasicAuth(Map.of("alice", HASH, "bob", BCrypt.hashpw("pw", BCrypt.gensalt(6))), nanos::get,
                bcrypt);

        assertThat(auth.allows(Http.basic("nobody", "x"))).isFalse();
        assertThat(bcrypt.started).hasValue(1);
        assertThat(bcrypt.hashes).singleElement().as("the hash the unknown user was checked against")
                .satisfies(hash -> assertThat(hash).startsWith("$2a$06$"));
    }

    /** bcrypt, held at a gate once the test closes it, counting the checks that began and the hashes they used. */
    private static final class GatedCheck implements BasicAuth.PasswordCheck {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final List<String> hashes = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public boolean matches(String password, String hash) {
            started.incrementAndGet();
            hashes.add(hash);
            if (closed) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                return BCrypt.checkpw(password, hash);
            } finally {
                ended.incrementAndGet();
            }
        }
    }

    @Test
    void concurrentRequestsWithTheRightPasswordShareOneCheck() throws Exception {
        GatedCheck check = new GatedCheck();
        check.closed = true;
        BasicAuth auth = new BasicAuth(Map.of("alice", HASH), nanos::get, check);

        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 1 + BasicAuth.MAX_WAITING; i++) {
            CompletableFuture<Boolean> answer = new CompletableFuture<>();
            Thread caller = new Thread(() -> answer.complete(auth.allows(Http.basic("alice", "correct horse"))));
            caller.start();
            answers.add(answer);
            callers.add(caller);
        }
        // One holds the check at the gate, the others wait for its outcome: all of them parked, none answered.
        Poll.until(BOUND, "all of them in the check", () -> check.started.get() == 1 && callers.stream().allMatch(
                t -> t.getState() != Thread.State.RUNNABLE && t.getState() != Thread.State.TERMINATED));
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        check.gate.countDown();

        for (CompletableFuture<Boolean> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS)).as("none refused unchecked, each got the check's outcome")
                    .isTrue();
        }
        assertThat(check.started).as("checks that ran").hasValue(1);
    }

    @Test
    void aFloodOfNewPasswordsHoldsFewThreadsAndRememberedCredentialsStillPassAtOnce() throws Exception {
        GatedCheck check = new GatedCheck();
        BasicAuth auth = new BasicAuth(Map.of("alice", HASH), nanos::get, check);
        assertThat(auth.allows(Http.basic("alice", "correct horse"))).isTrue(); // a valid scraper, remembered
        check.closed = true;

        int flood = 10;
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            String password = "guess-" + i;
            answers.add(threads.submit(() -> auth.allows(Http.basic("alice", password))));
        }
        // One check runs (held), MAX_WAITING wait for it, the rest are refused without a check.
        int admitted = 1 + BasicAuth.MAX_WAITING;
        Poll.until(BOUND, "the surplus refused",
                () -> answers.stream().filter(Future::isDone).count() == flood - admitted);
        assertThat(check.started).as("checks begun while one is held").hasValue(1 + 1);
        for (Future<Boolean> answer : answers) {
            if (answer.isDone()) {
                assertThat(answer.get()).as("a refused guess").isFalse();
            }
        }

        // Answered while the check is still held: had either waited for it, it would have ended first.
        int endedBefore = check.ended.get();
        Future<Boolean> remembered = threads.submit(() -> auth.allows(Http.basic("alice", "correct horse")));
        Future<Boolean> newGuess = threads.submit(() -> auth.allows(Http.basic("alice", "yet another guess")));
        assertThat(remembered.get(30, TimeUnit.SECONDS)).as("the remembered scraper").isTrue();
        assertThat(newGuess.get(30, TimeUnit.SECONDS)).as("a new guess").isFalse();
        assertThat(check.ended).as("checks ended meanwhile: none, the held one still runs").hasValue(endedBefore);
        assertThat(check.started).as("the new guess was refused unchecked").hasValue(1 + 1);
        assertThat(answers.stream().filter(Future::isDone).count()).as("the admitted ones still wait")
                .isEqualTo(flood - admitted);

        check.gate.countDown();
        for (Future<Boolean> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS)).isFalse();
        }
        assertThat(check.started).as("the valid one and the admitted guesses").hasValue(1 + admitted);
    }
}
