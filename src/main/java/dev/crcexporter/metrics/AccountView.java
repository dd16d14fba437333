package dev.crcexporter.metrics;

import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.upstream.DailyUsage;
import java.util.List;

/**
 * One account as a scrape shows it: its snapshot, with the days cut to the window of that moment
 * (yesterday and today, today's hours that have begun).
 */
record AccountView(AccountSnapshot snapshot, DateWindow window, List<DailyUsage> days) {
    static AccountView of(AccountSnapshot snapshot, DateWindow window) {
        return new AccountView(snapshot, window, window.select(snapshot.usage()));
    }

    String name() {
        return snapshot.name();
    }
}
