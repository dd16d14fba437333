package dev.crcexporter.metrics;

import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.upstream.DailyUsage;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;

/**
 * One account as a scrape shows it: its snapshot, with the days cut to the window of that moment
 * (yesterday and today, today's hours that have begun), and its {@code account} label, which six families share.
 */
record AccountView(AccountSnapshot snapshot, DateWindow window, List<DailyUsage> days, Labels labels) {
    static AccountView of(AccountSnapshot snapshot, DateWindow window) {
        return new AccountView(snapshot, window, window.select(snapshot.usage()),
                Labels.of("account", snapshot.name()));
    }

    String name() {
        return snapshot.name();
    }
}
