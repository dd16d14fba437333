package dev.crcexporter.web;

import dev.crcexporter.metrics.CrcMetrics;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The memory contract of the telemetry path. An answer is rendered whole: while client_java's writer writes it, every
 * series it holds exists as snapshot objects, the protobuf writer also builds each family as messages, and the answer
 * itself grows in a buffer. How much heap that takes per series was measured for each format
 * ({@code bench/render-cost.sh}, figures in bench/README.md, "Heap per series"), and so was the heap the exporter
 * needs without any scrape, and per account for its polled data. The landing pages, built whole too, are counted
 * apart: at most {@link #PAGES_AT_ONCE} at a time.
 *
 * <p>A configuration fits when the heap left after those holds the largest render of a whole answer (the answer it
 * renders included); the exporter refuses to start with one that does not, and a reload to one. What is left is the
 * budget of the telemetry path: a render reserves its estimate before it begins (waiting while answers being sent
 * hold the room, making room by dropping kept answers), and an answer holds its bytes while it is kept or sent. So no
 * sequence of scrapes, of any formats and concurrency, asks the heap for more than it has.
 */
public final class ScrapeMemory {
    /**
     * Heap the exporter needs besides the accounts, the scrapes and the landing pages: 8.7 MiB live when idle with
     * one account, and room for a round of polls (answers of up to 1 MiB each) and a reload.
     */
    static final long BASE_BYTES = 20L << 20;
    /** Heap of one account: its configuration, its snapshot with two complete days (48 hours), its view (3.5 KB). */
    static final long BYTES_PER_ACCOUNT = 4_000;
    /** Series besides the accounts': {@code jvm_*}, {@code process_*}, build, shard and reload (about 110 here). */
    static final long OTHER_SERIES = 250;
    /** Landing pages rendered or being sent at once, at most ({@link LandingPageHandler}; more are 503). */
    static final int PAGES_AT_ONCE = 2;
    /**
     * Heap of one card of a landing page while the page is built and sent: a card is about 16 KB of HTML with its 30
     * days (4.7 MB for the page of 300 accounts, bench/README.md, "Landing page"), and a page is held up to 2.5 times
     * over at once (the builder, which doubles as it grows, and the string it makes; then the string and its blocks).
     */
    static final long PAGE_BYTES_PER_CARD = 40_000;

    /**
     * Peak heap of one render per series, by how it is written: the snapshots, what the writer builds, the answer
     * (uncompressed, the larger). Measured 180-215 (text, OpenMetrics), 320-335 (protobuf), 330-410 (debug).
     */
    enum Format {
        TEXT(230),
        OPENMETRICS(240),
        PROTOBUF(370),
        /** {@code ?debug=prometheus-protobuf}: the messages as text, built in a string first. */
        PROTOBUF_DEBUG(460);

        final int renderBytesPerSeries;

        Format(int renderBytesPerSeries) {
            this.renderBytesPerSeries = renderBytesPerSeries;
        }
    }

    private final long maxHeap;
    private final IntSupplier accounts;
    private long reserved;

    /**
     * The budget of a heap of {@code maxHeap} bytes that holds {@code accounts} accounts (read at each
     * reservation).
     */
    ScrapeMemory(long maxHeap, IntSupplier accounts) {
        this.maxHeap = maxHeap;
        this.accounts = accounts;
    }

    /**
     * Why {@code accounts} accounts cannot be served in a heap of {@code maxHeap} bytes, in one line naming the ways
     * out; empty when they can.
     */
    public static Optional<String> refusal(int accounts, boolean hourly, long maxHeap) {
        long needed = heapNeeded(accounts, hourly);
        if (needed <= maxHeap) {
            return Optional.empty();
        }
        String without = hourly ? " (" + mib(heapNeeded(accounts, false)) + " MiB without the hourly series)" : "";
        return Optional.of(accounts + " accounts " + (hourly ? "with" : "without") + " the hourly series need about "
                + mib(needed) + " MiB of heap to answer a scrape" + without + ", more than the " + mib(maxHeap)
                + " MiB this JVM has (-Xmx): serve them from several replicas with --shard=I/N"
                + (hourly ? ", leave out crc_ports_max_usage and crc_ports_total_usage with --no-collector.hourly" : "")
                + " or give the JVM a larger -Xmx");
    }

    /** Heap for the exporter, the accounts, the landing pages and the largest render of a whole answer (protobuf's). */
    static long heapNeeded(int accounts, boolean hourly) {
        long series = (long) accounts * CrcMetrics.seriesPerAccount(hourly) + OTHER_SERIES;
        return held(accounts) + renderBytes(Format.PROTOBUF, series);
    }

    /** What is not the scrapes' to use: the exporter, {@code accounts} accounts and the landing pages at once. */
    static long held(int accounts) {
        int cardsOnAPage = accounts <= AccountPages.ALL_CARDS_UP_TO ? accounts : AccountPages.PAGE_SIZE;
        return BASE_BYTES + accounts * BYTES_PER_ACCOUNT + PAGES_AT_ONCE * cardsOnAPage * PAGE_BYTES_PER_CARD;
    }

    /** What a render of {@code series} series in {@code format} may need at its peak. */
    static long renderBytes(Format format, long series) {
        return series * format.renderBytesPerSeries;
    }

    /** The heap left for renders and answers now. */
    long budget() {
        return maxHeap - held(accounts.getAsInt());
    }

    /**
     * Reserves {@code bytes}, waiting up to {@code timeoutNanos} for answers to be sent; {@code makeRoom} runs first
     * whenever they do not fit (it drops kept answers). False when they never fit in that time.
     */
    synchronized boolean reserve(long bytes, long timeoutNanos, Runnable makeRoom) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (reserved + bytes > budget()) {
            long left = deadline - System.nanoTime();
            if (bytes > budget() || left <= 0) {
                return false;
            }
            makeRoom.run();
            if (reserved + bytes > budget()) {
                wait(Math.max(1, left / 1_000_000));
            }
        }
        reserved += bytes;
        return true;
    }

    /** Gives back {@code bytes} (negative: takes more, a render that needed more than estimated). */
    synchronized void release(long bytes) {
        reserved -= bytes;
        notifyAll();
    }

    /** Bytes reserved now. */
    synchronized long reserved() {
        return reserved;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
