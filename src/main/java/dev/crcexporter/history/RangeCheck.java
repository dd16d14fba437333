package dev.crcexporter.history;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code backfill} and {@code report} check of a range of past days before they send any request: it ends no
 * later than today, and it needs no more upstream requests than {@code --max-requests} (one per account and calendar
 * month, {@link DateChunks}). Zoom counts each of them against its daily limit of heavy requests, which is per
 * account and shared by every app installed on it: a careless range would starve the account's other apps.
 */
public final class RangeCheck {
    public static final int DEFAULT_MAX_REQUESTS = 1000;
    /** {@code --help} of both commands. */
    public static final String MAX_REQUESTS_HELP = "Refuse a range that needs more than N upstream requests in all,"
            + " one per account and calendar month (default: ${DEFAULT-VALUE}): Zoom's daily limit of heavy requests"
            + " (1,000 Free, 30,000 Pro, 60,000 Business+) is per account and shared by every app installed on it.";

    private RangeCheck() {}

    /**
     * Why {@code from}..{@code to} (inclusive, {@code from} not after {@code to}) of {@code accounts} is not fetched,
     * as one line naming the flags; empty when it may be. Today is the latest today among the accounts' zones.
     */
    public static Optional<String> refusal(ExporterConfig config, List<AccountConfig> accounts, LocalDate from,
            LocalDate to, int maxRequests, Clock clock) {
        if (maxRequests < 1) {
            return Optional.of("--max-requests must be at least 1 (got " + maxRequests + ")");
        }
        ZoneId zone = config.timezone();
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        for (AccountConfig account : accounts) {
            LocalDate there = LocalDate.ofInstant(clock.instant(), config.zoneOf(account));
            if (there.isAfter(today)) {
                today = there;
                zone = config.zoneOf(account);
            }
        }
        if (to.isAfter(today)) {
            return Optional.of("--to (" + to + ") is after today (" + today + " in " + zone + ")");
        }
        long months = DateChunks.count(from, to);
        long requests = months * accounts.size();
        if (requests > maxRequests) {
            return Optional.of(String.format(Locale.ROOT, "%s..%s needs %,d upstream requests (%,d account(s) x %,d"
                    + " calendar months), more than --max-requests=%d: shorten the range or raise"
                    + " --max-requests", from, to, requests, accounts.size(), months, maxRequests));
        }
        return Optional.empty();
    }
}
