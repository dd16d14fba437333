package dev.crcexporter.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard {@code index} of {@code count}: a replica started with {@code --shard=I/N} (or {@code CRC_SHARD=I/N}) polls
 * and exposes only the accounts whose name hashes to shard I. Shards are counted from 0, like the pod ordinals of a
 * Kubernetes StatefulSet, so pod {@code crc-exporter-3} of a StatefulSet of 10 runs {@code --shard=3/10}.
 *
 * <p>The shard of an account depends on its name and N alone, the same on every machine, JVM and version:
 * <ol>
 *   <li>key: the first 8 bytes (big-endian) of the SHA-256 of the name in UTF-8. Names of a fleet are alike
 *       ({@code customer-0001}, {@code customer-0002}); SHA-256 spreads them evenly where {@code String.hashCode}
 *       (stable, but 32 bits with little mixing) would not;</li>
 *   <li>shard: the jump consistent hash of that key into N buckets (Lamping and Veach, "A Fast, Minimal Memory,
 *       Consistent Hash Algorithm", 2014). Changing N moves the fewest accounts possible: from 10 to 12 shards about
 *       1/6 of them move, all to the two new shards, where {@code key mod N} would move 5/6.</li>
 * </ol>
 * Jump hash uses 64-bit integer and IEEE double arithmetic, which Java defines exactly (strict floating point is the
 * only kind since Java 17), so the table of a few names in {@code ShardTest} holds everywhere.
 *
 * <p>The selection is a function of a loaded configuration ({@link #select}), not part of parsing it: whatever loads
 * a configuration (at start, or a reload) applies the same selection to the result.
 */
public record Shard(int index, int count) {
    /** Non-negative integers of at most 9 digits, so that both fit an int. */
    private static final Pattern I_OF_N = Pattern.compile("([0-9]{1,9})/([0-9]{1,9})");

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is not one of 0/" + count + ".."
                    + (count - 1) + "/" + count);
        }
    }

    /**
     * Parses {@code I/N}; {@code source} ({@code --shard} or {@code CRC_SHARD}) names the setting in the message of
     * the {@link ConfigException}.
     */
    public static Shard parse(String text, String source) throws ConfigException {
        Matcher m = I_OF_N.matcher(text.strip());
        if (!m.matches()) {
            throw new ConfigException(source + " must be I/N, shard I of N counted from 0 like StatefulSet pod"
                    + " ordinals, for example 0/3 (got \"" + text + "\")");
        }
        int index = Integer.parseInt(m.group(1));
        int count = Integer.parseInt(m.group(2));
        if (count < 1) {
            throw new ConfigException(source + ": the number of shards N must be at least 1 (got \"" + text + "\")");
        }
        if (index >= count) {
            throw new ConfigException(source + ": shard I must be less than N, shards are counted from 0 to N-1 (got \""
                    + text + "\")");
        }
        return new Shard(index, count);
    }

    /** The shard, 0 to {@code count - 1}, of the account named {@code accountName}. */
    public static int of(String accountName, int count) {
        return jump(key(accountName), count);
    }

    public boolean owns(String accountName) {
        return of(accountName, count) == index;
    }

    /** The configuration with only the accounts of this shard, in their configured order (possibly none). */
    public ExporterConfig select(ExporterConfig config) {
        return config.withAccounts(config.accounts().stream().filter(account -> owns(account.name())).toList());
    }

    /** {@code I/N}, as given on the command line. */
    @Override
    public String toString() {
        return index + "/" + count;
    }

    static long key(String accountName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accountName.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Jump consistent hash, as published; Java's wrapping long arithmetic is the paper's uint64_t, {@code >>>} its
     * shift.
     */
    static int jump(long key, int buckets) {
        long bucket = -1;
        long next = 0;
        while (next < buckets) {
            bucket = next;
            key = key * 2862933555777941757L + 1;
            next = (long) ((bucket + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) bucket;
    }
}
