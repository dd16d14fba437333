package dev.crcexporter.testing;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.DemoAccount;
import dev.crcexporter.poll.PollError;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Many accounts in every state at once, for scrape tests: names that do not sort as configured, two full days of
 * simulated usage each, and some failing, never polled, without capacity or without any data.
 */
public final class SimulatedAccounts {
    private SimulatedAccounts() {}

    public static SnapshotStore store(int count, Instant now, ZoneId zone) {
        List<AccountConfig> configs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = (i % 3 == 0 ? "z" : "a") + "-" + (count - i);
            configs.add(new AccountConfig(name, "key-" + i, new Secret("secret"),
                    i % 4 == 1 ? OptionalInt.empty() : OptionalInt.of(40)));
        }
        SnapshotStore store = new SnapshotStore(configs);
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (int i = 0; i < count; i++) {
            if (i % 7 == 3) {
                continue; // never polled
            }
            AccountConfig config = configs.get(i);
            DemoAccount simulated = new DemoAccount(config.name(), 40, 5 + i % 37, 0);
            List<DailyUsage> usage = i % 11 == 5 ? List.of()
                    : List.of(simulated.day(today.minusDays(1), 23, today), simulated.day(today, 23, today));
            SnapshotStore.Slot slot = store.slots().get(config.name());
            store.update(slot, s -> s.withSuccess(usage, now.minusSeconds(30), Duration.ofMillis(120)));
            if (i % 5 == 2) {
                store.update(slot, s -> s.withError(new PollError(now, FailureReason.HTTP_STATUS, "HTTP 502"))
                        .withFailure(Duration.ofSeconds(2)));
            }
        }
        return store;
    }
}
