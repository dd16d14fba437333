package dev.crcexporter.history;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.upstream.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last month of each account for the daemon's landing page, fetched apart from the polls: on a thread of its
 * own, only when asked ({@link #requestRefresh}, which the landing page calls and never waits for), so an exporter
 * whose page nobody opens sends no extra request, and a scrape never causes one.
 *
 * <p>Each refresh sends at most one request per account, for the {@link #PAST_DAYS} days before today (yesterday
 * and today come from the polls). An account is asked again only once its last attempt is {@code retryInterval}
 * old, and never twice on the same local date after a success: one request per account per day while the API
 * answers, one per {@code retryInterval} while it fails.
 */
public final class HistoryRefresher implements AutoCloseable {
    /** Days asked for: the 29 before today, so that with today the page shows 30. */
    public static final int PAST_DAYS = 29;
    /** Between two attempts for the same account ("every few hours"). */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofHours(3);
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRefresher.class);

    /**
     * What is known of an account's past month.
     *
     * @param days        the last successful answer, if any
     * @param fetchedOn   the local date of that success
     * @param attemptedAt when the last request was sent
     * @param error       why the last request failed (redacted), when it did
     */
    public record AccountHistory(Optional<CompactDays> days, Optional<LocalDate> fetchedOn, Instant attemptedAt,
            Optional<String> error) {}

    /** The accounts in force and a count of reloads, swapped together (see {@link #apply}). */
    private record Accounts(List<AccountConfig> list, long generation) {}

    private volatile Accounts accounts;
    private final ZoneId zone;
    private final HistoryFetcher fetcher;
    private final Clock clock;
    private final Duration retryInterval;
    private final Map<String, AccountHistory> histories = new ConcurrentHashMap<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "history-refresh");
        thread.setDaemon(true);
        return thread;
    });

    /** @param zone the zone of accounts that do not set their own */
    public HistoryRefresher(List<AccountConfig> accounts, ZoneId zone, HistoryFetcher fetcher, Clock clock,
            Duration retryInterval) {
        this.accounts = new Accounts(List.copyOf(accounts), 0);
        this.zone = zone;
        this.fetcher = fetcher;
        this.clock = clock;
        this.retryInterval = retryInterval;
    }

    /** Starts a refresh in the background unless one is already waiting to run; returns at once. */
    public void requestRefresh() {
        if (queued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    queued.set(false);
                    refreshDue();
                });
            } catch (RejectedExecutionException closed) {
                queued.set(false);
            }
        }
    }

    public Optional<AccountHistory> of(String account) {
        return Optional.ofNullable(histories.get(account));
    }

    /**
     * Follows a reload: the month of removed accounts and of those in {@code fresh} (a new secret, URL, zone or source:
     * another account upstream) is forgotten; the others keep theirs. A refresh running across it stores nothing more.
     */
    public synchronized void apply(List<AccountConfig> next, Set<String> fresh) {
        Set<String> names = next.stream().map(AccountConfig::name).collect(Collectors.toSet());
        accounts = new Accounts(List.copyOf(next), accounts.generation() + 1);
        histories.keySet().removeIf(name -> !names.contains(name) || fresh.contains(name));
    }

    /** One request for each account that is due, one account after the other. */
    void refreshDue() {
        Accounts refreshed = accounts;
        for (AccountConfig account : refreshed.list()) {
            if (Thread.currentThread().isInterrupted() || accounts != refreshed) {
                return; // closed, or a reload came: the next page view refreshes the accounts in force
            }
            Instant now = clock.instant();
            LocalDate today = LocalDate.ofInstant(now, account.zone(zone));
            AccountHistory known = histories.get(account.name());
            if (known != null && (known.fetchedOn().equals(Optional.of(today))
                    || Duration.between(known.attemptedAt(), now).compareTo(retryInterval) < 0)) {
                continue;
            }
            LocalDate first = today.minusDays(PAST_DAYS);
            LocalDate last = today.minusDays(1);
            try {
                CompactDays days = CompactDays.of(fetcher.fetchOnce(account, first, last), first, last);
                store(refreshed, account.name(),
                        new AccountHistory(Optional.of(days), Optional.of(today), now, Optional.empty()));
            } catch (UpstreamException e) {
                String error = e.reason().label() + ": " + e.getMessage();
                LOG.atWarn().setMessage("fetching the last month failed").addKeyValue("account", account.name())
                        .addKeyValue("error", error).log();
                store(refreshed, account.name(), new AccountHistory(known == null ? Optional.empty() : known.days(),
                        known == null ? Optional.empty() : known.fetchedOn(), now, Optional.of(error)));
            } catch (RuntimeException e) {
                // The class only: an unexpected message could quote anything, the secret included.
                LOG.atError().setMessage("fetching the last month failed unexpectedly")
                        .addKeyValue("account", account.name())
                        .addKeyValue("error", e.getClass().getName()).log();
                store(refreshed, account.name(), new AccountHistory(known == null ? Optional.empty() : known.days(),
                        known == null ? Optional.empty() : known.fetchedOn(), now,
                        Optional.of("unexpected " + e.getClass().getSimpleName())));
            }
        }
    }

    /** Keeps {@code history} unless a reload came since the refresh began (it may be of a replaced account). */
    private synchronized void store(Accounts refreshed, String account, AccountHistory history) {
        if (accounts == refreshed) {
            histories.put(account, history);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
