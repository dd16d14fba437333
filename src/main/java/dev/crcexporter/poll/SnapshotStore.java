package dev.crcexporter.poll;

import dev.crcexporter.config.AccountConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The latest {@link AccountSnapshot} of every account, in configuration order. Pollers swap an
 * account's snapshot atomically; scrapes only read, never lock.
 *
 * <p>The set of accounts is itself one immutable map of {@link Slot}s, swapped whole by {@link #replace} (a reload):
 * a scrape sees the accounts of one configuration or of the next, never a mix. A poll writes into the slot it was
 * started for; once a reload has dropped or replaced that slot, nothing reads it any more, so a poll in flight for a
 * removed or changed account cannot reach the new state.
 */
public final class SnapshotStore {
    /** One account's place in the store; compared by identity (a replaced account gets a new slot). */
    public static final class Slot {
        private final AtomicReference<AccountSnapshot> snapshot;

        private Slot(AccountSnapshot initial) {
            this.snapshot = new AtomicReference<>(initial);
        }

        public AccountSnapshot get() {
            return snapshot.get();
        }

        public AccountConfig account() {
            return snapshot.get().account();
        }
    }

    private final AtomicReference<Map<String, Slot>> slots;
    private final AtomicLong version = new AtomicLong();

    public SnapshotStore(List<AccountConfig> accounts) {
        Map<String, Slot> map = new LinkedHashMap<>();
        for (AccountConfig account : accounts) {
            map.put(account.name(), new Slot(AccountSnapshot.initial(account)));
        }
        this.slots = new AtomicReference<>(Collections.unmodifiableMap(map));
    }

    public List<AccountSnapshot> all() {
        return slots.get().values().stream().map(Slot::get).toList();
    }

    /** The accounts in force, in configuration order (an immutable map: a later reload does not change it). */
    public Map<String, Slot> slots() {
        return slots.get();
    }

    /** Whether {@code slot} is still in force (not dropped or replaced by a reload). */
    public boolean current(Slot slot) {
        return slots.get().get(slot.account().name()) == slot;
    }

    /** Swaps in a new snapshot of {@code slot}'s account (the poller, for the slot its poll was started for). */
    public void update(Slot slot, UnaryOperator<AccountSnapshot> change) {
        slot.snapshot.updateAndGet(change);
        version.incrementAndGet();
    }

    /**
     * Puts {@code accounts} in force, in their order, in one swap. An account whose name is in force and not in
     * {@code fresh} keeps its slot, data and counters, with its new settings (a changed capacity); the others start
     * from {@link AccountSnapshot#initial}; accounts not listed are dropped.
     *
     * @return the slots dropped or replaced (their polls in flight write where nothing reads)
     */
    public synchronized List<Slot> replace(List<AccountConfig> accounts, Set<String> fresh) {
        Map<String, Slot> before = slots.get();
        Map<String, Slot> next = new LinkedHashMap<>();
        for (AccountConfig account : accounts) {
            Slot kept = fresh.contains(account.name()) ? null : before.get(account.name());
            if (kept == null) {
                next.put(account.name(), new Slot(AccountSnapshot.initial(account)));
            } else {
                if (!kept.account().equals(account)) {
                    kept.snapshot.updateAndGet(s -> s.withAccount(account));
                }
                next.put(account.name(), kept);
            }
        }
        slots.set(Collections.unmodifiableMap(next));
        version.incrementAndGet();
        return before.values().stream().filter(slot -> next.get(slot.account().name()) != slot).toList();
    }

    /**
     * Grows with every {@link #update} and {@link #replace}, after the swap: read it before {@link #all} and a list
     * read with the same version is at least as new as that version.
     */
    public long version() {
        return version.get();
    }

    /** How many accounts have finished their first poll, from one read of the store: what {@code /-/ready} answers. */
    public Readiness readiness() {
        List<AccountSnapshot> accounts = all();
        return new Readiness((int) accounts.stream().filter(AccountSnapshot::polled).count(), accounts.size());
    }

    /** {@code polled} of {@code accounts} have finished their first poll, successful or not. */
    public record Readiness(int polled, int accounts) {
        /** True once every account has finished its first poll (also when there are none). */
        public boolean allPolled() {
            return polled == accounts;
        }
    }
}
