package dev.crcexporter.poll;

import dev.crcexporter.config.AccountConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The latest {@link AccountSnapshot} of every account, in configuration order. Pollers swap an
 * account's snapshot atomically; scrapes only read, never lock.
 */
public final class SnapshotStore {
    private final Map<String, AtomicReference<AccountSnapshot>> byName;
    private final AtomicLong version = new AtomicLong();

    public SnapshotStore(List<AccountConfig> accounts) {
        Map<String, AtomicReference<AccountSnapshot>> map = new LinkedHashMap<>();
        for (AccountConfig account : accounts) {
            map.put(account.name(), new AtomicReference<>(AccountSnapshot.initial(account)));
        }
        this.byName = java.util.Collections.unmodifiableMap(map);
    }

    public List<AccountSnapshot> all() {
        return byName.values().stream().map(AtomicReference::get).toList();
    }

    public AccountSnapshot get(String account) {
        return byName.get(account).get();
    }

    /** Swaps in a new snapshot of one account; the poller is the only writer outside tests. */
    public void update(String account, UnaryOperator<AccountSnapshot> change) {
        byName.get(account).updateAndGet(change);
        version.incrementAndGet();
    }

    /**
     * Grows with every {@link #update}, after the swap: read it before {@link #all} and a list read with the same
     * version is at least as new as that version.
     */
    public long version() {
        return version.get();
    }

    /** True once every account has finished its first poll, successful or not. */
    public boolean allPolled() {
        return byName.values().stream().allMatch(ref -> ref.get().polled());
    }
}
