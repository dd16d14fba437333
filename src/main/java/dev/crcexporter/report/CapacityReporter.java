package dev.crcexporter.report;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.history.HistoryFetcher;
import dev.crcexporter.report.CapacityReport.AccountResult;
import dev.crcexporter.report.CapacityReport.FailedAccount;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.UpstreamException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Fetches the period of each account and computes its figures. Up to {@code concurrency} accounts (the config key
 * that bounds upstream requests in flight, as for the daemon's polls) are fetched at once, each account's months
 * one after the other; only those accounts' days are held at a time. An account whose history cannot be fetched
 * is reported and skipped. Results keep the order of the accounts.
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
        int threads = Math.max(1, Math.min(config.concurrency(), accounts.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "report-fetch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<AccountResult>> pending = new ArrayList<>();
            for (int i = 0; i < accounts.size(); i++) {
                AccountConfig account = accounts.get(i);
                String who = account.name() + " (" + (i + 1) + "/" + accounts.size() + ")";
                pending.add(pool.submit(() -> account(account, who, options)));
            }
            List<AccountResult> results = new ArrayList<>();
            for (Future<AccountResult> result : pending) {
                try {
                    results.add(result.get());
                } catch (ExecutionException e) {
                    // account() catches all
                    throw new IllegalStateException("report of an account failed", e.getCause());
                }
            }
            return new CapacityReport(options, clock.instant(), results);
        } finally {
            pool.shutdownNow();
        }
    }

    private AccountResult account(AccountConfig account, String who, ReportOptions options)
            throws InterruptedException {
        List<DailyUsage> days;
        try {
            days = fetcher.fetch(account, who, options.from(), options.to());
        } catch (UpstreamException e) {
            return failed(account, who, e.reason().label() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return failed(account, who, "unexpected " + e.getClass().getSimpleName());
        }
        // The API's dates and hours are read in the account's zone, like the daemon's.
        AccountReport report = AccountStatistics.compute(account.name(), account.capacity(), config.zoneOf(account),
                days, options);
        progress.accept(String.format(Locale.ROOT, "account %s: %d of %d days with data", who,
                report.coverage().daysWithData(), report.coverage().days()));
        return report;
    }

    private FailedAccount failed(AccountConfig account, String who, String error) {
        progress.accept("account " + who + " FAILED, skipped: " + error);
        return new FailedAccount(account.name(), error);
    }
}
