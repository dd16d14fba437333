package dev.crcexporter.web.toolkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * HTTP basic authentication against bcrypt hashes, as exporter-toolkit does it: one bcrypt check at a time, a
 * remembered success, and an unknown user checked against a dummy hash of the highest configured cost, so that
 * timing does not tell which names exist. A success is remembered per user (so at most one per configured user,
 * whatever a flood sends), as a salted digest of user, password and hash (never the password), while it keeps
 * being used. A failure is not remembered: a scraper with a stale password costs one check per scrape.
 *
 * <p>Unlike exporter-toolkit's goroutines, each request waiting for the check holds one of Jetty's 8 server
 * threads, so only {@link #MAX_WAITING} may wait and any more are refused at once, unchecked. What that buys
 * ({@code it/BasicAuthFloodIT}, issue 25: 16 threads send wrong passwords to a cost-12 user on 2 busy cores): the
 * valid scrapes' p99 stays at 83-162 ms while every guess is new and 27-53 ms while one guess repeats (3 runs);
 * with every request waiting its turn for the check instead, 3 of 4 valid scrapes failed after 30 s (bench/README.md).
 */
final class BasicAuth {
    /** A remembered success lasts this long after its last use. */
    static final Duration SUCCESS_TTL = Duration.ofMinutes(5);
    /** Requests that may wait for the check under way: each holds a server thread. */
    static final int MAX_WAITING = 2;

    private final Map<String, String> hashes;
    private final String dummyHash;
    private final byte[] salt = new byte[32];
    private final LongSupplier nanoClock;
    private final PasswordCheck passwordCheck;
    private final Map<String, Success> successes = new ConcurrentHashMap<>();
    /** Requests checking or waiting to check. */
    private final Semaphore admitted = new Semaphore(1 + MAX_WAITING);
    private final Object bcrypt = new Object();

    /** bcrypt's comparison of a password with a hash; replaceable in tests to hold a check at will. */
    interface PasswordCheck {
        boolean matches(String password, String hash);
    }

    /** The last success of a user: the digest of what it presented, valid until {@code untilNanos}. */
    private record Success(byte[] digest, long untilNanos) {}

    BasicAuth(Map<String, String> hashes) {
        this(hashes, System::nanoTime, BCrypt::checkpw);
    }

    BasicAuth(Map<String, String> hashes, LongSupplier nanoClock, PasswordCheck passwordCheck) {
        this.hashes = Map.copyOf(hashes);
        this.nanoClock = nanoClock;
        this.passwordCheck = passwordCheck;
        new SecureRandom().nextBytes(salt);
        int cost = hashes.values().stream().mapToInt(hash -> Integer.parseInt(hash.substring(4, 6))).max().orElse(10);
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
        byte[] digest = digest(user, password, hash);
        if (remembered(user, digest)) {
            return true;
        }
        if (!admitted.tryAcquire()) {
            return false;
        }
        try {
            synchronized (bcrypt) {
                // The same credentials may have been checked while this request waited.
                if (remembered(user, digest)) {
                    return true;
                }
                boolean ok = check(password, hash);
                if (ok) {
                    successes.put(user, new Success(digest, nanoClock.getAsLong() + SUCCESS_TTL.toNanos()));
                }
                return ok;
            }
        } finally {
            admitted.release();
        }
    }

    /** True when {@code digest} is the user's remembered success; using it makes it last longer. */
    private boolean remembered(String user, byte[] digest) {
        Success success = successes.get(user);
        long now = nanoClock.getAsLong();
        if (success == null || now - success.untilNanos() >= 0 || !MessageDigest.isEqual(success.digest(), digest)) {
            return false;
        }
        successes.put(user, new Success(digest, now + SUCCESS_TTL.toNanos()));
        return true;
    }

    /** One bcrypt comparison; the dummy hash stands in for an unknown user. */
    private boolean check(String password, String hash) {
        try {
            return passwordCheck.matches(password, hash == null ? dummyHash : hash) && hash != null;
        } catch (IllegalArgumentException e) {
            return false; // e.g. a password longer than bcrypt's 72 bytes
        }
    }

    private byte[] digest(String user, String password, String hash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            for (String part : new String[] {user, password, String.valueOf(hash)}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
