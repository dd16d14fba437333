package dev.crcexporter.web.toolkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * HTTP basic authentication against bcrypt hashes, hardened against floods of wrong passwords, whose
 * bcrypt checks would otherwise take every CPU and every server thread from valid scrapes:
 * <ul>
 *   <li>the outcome of a check is remembered either way, keyed by a salted digest of user, password and
 *       hash (never the password): a success while it keeps being used, a failure for a short time;
 *   <li>concurrent requests with the same credentials share one check;
 *   <li>few checks run at once, and few requests wait for one; any more are refused at once, unchecked,
 *       so a flood holds a bounded number of threads and valid scrapes, answered from memory, still run;
 *   <li>an unknown user is checked against a dummy hash of the highest configured cost, so that timing
 *       does not tell which names exist.
 * </ul>
 */
final class BasicAuth {
    /** A remembered success lasts this long after its last use. */
    static final Duration SUCCESS_TTL = Duration.ofMinutes(5);
    /** A remembered failure lasts this long: a misconfigured scraper costs one check per period. */
    static final Duration FAILURE_TTL = Duration.ofSeconds(10);
    /** Requests that may wait for a check beyond those running: each waiter holds a server thread. */
    static final int MAX_WAITING = 2;

    private final Map<String, String> hashes;
    private final PasswordCheck passwordCheck;
    private final String dummyHash;
    private final byte[] cacheSalt = new byte[32];
    private final OutcomeCache outcomes;
    private final Map<String, CompletableFuture<Boolean>> running = new ConcurrentHashMap<>();
    private final Semaphore checkSlots;
    private final int maxInCheck;
    /** Requests checking or waiting for a check right now. */
    private final AtomicInteger inCheck = new AtomicInteger();

    /** bcrypt's comparison of a password with a hash; replaceable in tests to hold a check at will. */
    interface PasswordCheck {
        boolean matches(String password, String hash);
    }

    BasicAuth(Map<String, String> hashes) {
        this(hashes, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), System::nanoTime, BCrypt::checkpw);
    }

    BasicAuth(Map<String, String> hashes, int concurrentChecks, LongSupplier nanoClock, PasswordCheck passwordCheck) {
        this.hashes = Map.copyOf(hashes);
        this.passwordCheck = passwordCheck;
        this.checkSlots = new Semaphore(concurrentChecks, true);
        this.maxInCheck = concurrentChecks + MAX_WAITING;
        this.outcomes = new OutcomeCache(nanoClock);
        new SecureRandom().nextBytes(cacheSalt);
        int cost = hashes.values().stream().mapToInt(BasicAuth::cost).max().orElse(10);
        this.dummyHash = BCrypt.hashpw("crc-exporter dummy password", BCrypt.gensalt(cost));
    }

    /** True when the Authorization header carries a configured user with its password. */
    boolean allows(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String hash = hashes.get(user);
        String key = digest(user, password, hash);
        Boolean known = outcomes.get(key);
        if (known != null) {
            return known;
        }
        if (inCheck.incrementAndGet() > maxInCheck) {
            inCheck.decrementAndGet();
            return false;
        }
        try {
            return checkOnce(key, password, hash);
        } finally {
            inCheck.decrementAndGet();
        }
    }

    /** Checks the credentials, or waits for the check of the same credentials that is already running. */
    private boolean checkOnce(String key, String password, String hash) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> shared = running.putIfAbsent(key, mine);
        if (shared != null) {
            return shared.join();
        }
        try {
            // A check of the same credentials may have ended between the first look and now.
            Boolean justKnown = outcomes.get(key);
            boolean ok = justKnown != null ? justKnown : check(password, hash);
            if (justKnown == null) {
                outcomes.put(key, ok);
            }
            mine.complete(ok);
            return ok;
        } catch (RuntimeException | Error e) {
            mine.complete(false);
            throw e;
        } finally {
            running.remove(key);
        }
    }

    /** One bcrypt comparison, when a slot is free; the dummy hash stands in for an unknown user. */
    private boolean check(String password, String hash) {
        checkSlots.acquireUninterruptibly();
        try {
            boolean matches = passwordCheck.matches(password, hash == null ? dummyHash : hash);
            return matches && hash != null;
        } catch (IllegalArgumentException e) {
            return false; // e.g. a password longer than bcrypt's 72 bytes
        } finally {
            checkSlots.release();
        }
    }

    private static int cost(String bcryptHash) {
        return Integer.parseInt(bcryptHash.substring(4, 6));
    }

    private String digest(String user, String password, String hash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(cacheSalt);
            for (String part : new String[] {user, password, String.valueOf(hash)}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Outcomes by digest: successes and failures apart, so that a flood of failures never pushes out the
     * success of a valid scraper.
     */
    private static final class OutcomeCache {
        private static final int MAX_SUCCESSES = 256;
        private static final int MAX_FAILURES = 4096;

        private final LongSupplier nanoClock;
        private final Map<String, Long> successes = lru(MAX_SUCCESSES);
        private final Map<String, Long> failures = lru(MAX_FAILURES);

        OutcomeCache(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
        }

        /** True or false when remembered, null when not (or no longer). */
        synchronized Boolean get(String key) {
            long now = nanoClock.getAsLong();
            Long successUntil = successes.get(key);
            if (successUntil != null) {
                if (now - successUntil < 0) {
                    successes.put(key, now + SUCCESS_TTL.toNanos()); // lasts while it is used
                    return Boolean.TRUE;
                }
                successes.remove(key);
            }
            Long failureUntil = failures.get(key);
            if (failureUntil != null) {
                if (now - failureUntil < 0) {
                    return Boolean.FALSE;
                }
                failures.remove(key);
            }
            return null;
        }

        synchronized void put(String key, boolean ok) {
            long now = nanoClock.getAsLong();
            if (ok) {
                successes.put(key, now + SUCCESS_TTL.toNanos());
            } else {
                failures.put(key, now + FAILURE_TTL.toNanos());
            }
        }

        private static Map<String, Long> lru(int capacity) {
            return new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > capacity;
                }
            };
        }
    }
}
