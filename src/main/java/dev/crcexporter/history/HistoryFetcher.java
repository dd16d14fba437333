package dev.crcexporter.history;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Durations;
import dev.crcexporter.history.DateChunks.Chunk;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.RetryPolicy;
import dev.crcexporter.upstream.UpstreamException;
import dev.crcexporter.upstream.UsageSources;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Past days of an account, for {@code backfill}, {@code report} and the landing page's history: the one place
 * that turns "every day from {@code first} to {@code last}" into upstream requests and cuts each answer to the
 * days it asked for. Each account's {@link dev.crcexporter.upstream.UsageSource} takes the chunk's inclusive range
 * and turns it into its API's {@code to}.
 */
public final class HistoryFetcher {
    /** The longest range one request may ask for (the API family answers "at most a month"). */
    public static final int MAX_DAYS_PER_REQUEST = 31;

    /** Waits between attempts; tests pass a recording one. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final UsageSources sources;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final Consumer<String> progress;
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param progress takes one line per chunk and per failed attempt ("account hq (1/3) chunk 1/4 ...")
     */
    public HistoryFetcher(UsageSources sources, RetryPolicy retryPolicy, Sleeper sleeper, Consumer<String> progress) {
        this.sources = sources;
        this.retryPolicy = retryPolicy;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    /**
     * Every day of {@code first}..{@code last} (inclusive) that the API reported, oldest first, each at most once:
     * calendar-month requests, each retried by the retry policy (Retry-After honoured). Days the API did not
     * report are simply absent. The first request that still fails after its retries ends the fetch.
     *
     * @param who how progress lines name the account, for example "hq (1/3)"
     */
    public List<DailyUsage> fetch(AccountConfig account, String who, LocalDate first, LocalDate last)
            throws UpstreamException, InterruptedException {
        List<Chunk> chunks = DateChunks.of(first, last);
        TreeMap<LocalDate, DailyUsage> days = new TreeMap<>();
        int index = 0;
        for (Chunk chunk : chunks) {
            index++;
            List<DailyUsage> answer = withRetries(account, who, chunk);
            int kept = keep(answer, chunk, days);
            progress.accept(String.format("account %s chunk %d/%d %s: %d of %d days asked for, %d days in the answer",
                    who, index, chunks.size(), chunk, kept, chunk.days(), answer.size()));
        }
        return List.copyOf(days.values());
    }

    /**
     * One request for {@code first}..{@code last} (inclusive, at most {@link #MAX_DAYS_PER_REQUEST} days) and no
     * retry, for callers that bound their own request rate; the days reported, oldest first.
     */
    public List<DailyUsage> fetchOnce(AccountConfig account, LocalDate first, LocalDate last) throws UpstreamException {
        Chunk chunk = new Chunk(first, last);
        if (chunk.days() > MAX_DAYS_PER_REQUEST) {
            throw new IllegalArgumentException("one request covers at most " + MAX_DAYS_PER_REQUEST + " days (got "
                    + chunk + ")");
        }
        TreeMap<LocalDate, DailyUsage> days = new TreeMap<>();
        keep(request(account, chunk), chunk, days);
        return List.copyOf(days.values());
    }

    /** Requests sent so far, retries included. */
    public long requests() {
        return requests.get();
    }

    private List<DailyUsage> withRetries(AccountConfig account, String who, Chunk chunk)
            throws UpstreamException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return request(account, chunk);
            } catch (UpstreamException e) {
                if (!retryPolicy.mayRetry(attempt)) {
                    throw e;
                }
                Duration delay = retryPolicy.delay(attempt, e.retryAfter().orElse(null));
                progress.accept(String.format("account %s %s: attempt %d failed (%s: %s), retrying in %s", who, chunk,
                        attempt, e.reason().label(), e.getMessage(), Durations.format(delay)));
                sleeper.sleep(delay);
            }
        }
    }

    /** The one upstream request of a chunk. */
    private List<DailyUsage> request(AccountConfig account, Chunk chunk) throws UpstreamException {
        requests.incrementAndGet();
        return sources.of(account).fetch(chunk.first(), chunk.last());
    }

    /** Adds the answer's days that the chunk asked for (the API may send others, in any order); returns how many. */
    private static int keep(List<DailyUsage> answer, Chunk chunk, TreeMap<LocalDate, DailyUsage> days) {
        int kept = 0;
        for (DailyUsage day : answer) {
            if (chunk.contains(day.date()) && days.putIfAbsent(day.date(), day) == null) {
                kept++;
            }
        }
        return kept;
    }
}
