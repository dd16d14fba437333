package dev.crcexporter.report;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.history.HistoryFetcher;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.UpstreamException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Fetches the period of each account (one after the other: the API is rate-limited) and computes its figures.
 * Only one account's days are held at a time. An account whose history cannot be fetched is reported and skipped.
 */
public final class CapacityReporter {
    private final ExporterConfig config;
    private final HistoryFetcher fetcher;
    private final Clock clock;
    private final Consumer<String> progress;

    public CapacityReporter(ExporterConfig config, HistoryFetcher fetcher, Clock clock, Consumer<String> progress) {
        this.config = config;
        this.fetcher = fetcher;
        this.clock = clock;
        this.progress = progress;
    }

    public CapacityReport run(List<AccountConfig> accounts, ReportOptions options) throws InterruptedException {
        List<AccountResult> results = new ArrayList<>();
        int index = 0;
        for (AccountConfig account : accounts) {
            index++;
            String who = account.name() + " (" + index + "/" + accounts.size() + ")";
            List<DailyUsage> days;
            try {
                days = fetcher.fetch(account, who, options.from(), options.to());
            } catch (UpstreamException e) {
                String error = e.reason().label() + ": " + e.getMessage();
                progress.accept("account " + who + " FAILED, skipped: " + error);
                results.add(new FailedAccount(account.name(), error));
                continue;
            } catch (RuntimeException e) {
                String error = "unexpected " + e.getClass().getSimpleName();
                progress.accept("account " + who + " FAILED, skipped: " + error);
                results.add(new FailedAccount(account.name(), error));
                continue;
            }
            // The API's dates and hours are read in the configured zone, like the daemon's.
            AccountReport report = AccountStatistics.compute(account.name(), account.capacity(), config.timezone(), days, options);
            progress.accept(String.format(Locale.ROOT, "account %s: %d of %d days with data", who, report.coverage().daysWithData(),
                    report.coverage().days()));
            results.add(report);
        }
        return new CapacityReport(options, clock.instant(), results);
    }

    /** Requests sent so far, retries included. */
    public long requests() {
        return fetcher.requests();
    }
}
