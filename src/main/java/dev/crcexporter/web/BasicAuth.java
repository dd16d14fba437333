package dev.crcexporter.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * HTTP basic authentication against bcrypt hashes, as exporter-toolkit does it: an unknown user is
 * checked against a dummy hash so that timing does not tell which names exist, and successful checks
 * are remembered (as salted digests, never the password) so a scrape does not pay for bcrypt each time.
 */
final class BasicAuth {
    private static final int CACHE_SIZE = 256;

    private final Map<String, String> hashes;
    private final java.util.concurrent.atomic.AtomicLong bcryptChecks = new java.util.concurrent.atomic.AtomicLong();
    private final String dummyHash;
    private final byte[] cacheSalt = new byte[32];
    private final Set<String> verified = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > CACHE_SIZE;
                }
            }));

    BasicAuth(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
        new SecureRandom().nextBytes(cacheSalt);
        // Same cost as the configured hashes, so a miss costs what a hit costs.
        int cost = hashes.values().stream().findFirst().map(h -> Integer.parseInt(h.substring(4, 6))).orElse(10);
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
        String cacheKey = digest(user, password, hash);
        if (hash != null && verified.contains(cacheKey)) {
            return true;
        }
        boolean matches = check(password, hash == null ? dummyHash : hash) && hash != null;
        if (matches) {
            verified.add(cacheKey);
        }
        return matches;
    }

    /** How many bcrypt comparisons ran; for tests of the cache. */
    long bcryptChecks() {
        return bcryptChecks.get();
    }

    private boolean check(String password, String hash) {
        bcryptChecks.incrementAndGet();
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false; // e.g. a password longer than bcrypt's 72 bytes
        }
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
}
