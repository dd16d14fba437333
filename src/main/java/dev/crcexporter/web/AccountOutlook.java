package dev.crcexporter.web;

import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.capacity.Level;
import dev.crcexporter.capacity.Observations;
import dev.crcexporter.capacity.Observations.DailyPeak;
import dev.crcexporter.capacity.Observations.HourPeak;
import dev.crcexporter.capacity.Recommendation;
import dev.crcexporter.capacity.RecommendationRule;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the landing page knows of an account's capacity, worked out once per view: the daily peaks of the last 30 days
 * (of yesterday and today only while the month is loading, when it could not be fetched, and on a paged page), how
 * many of them reached 80 % and 100 % of the purchased ports, the recommendation (only over a loaded month: two days
 * would make a figure far too low to buy by), and where the account ranks among the others.
 *
 * @param days           every date of the window, oldest first, with its peak or missing
 * @param month          whether the month is in
 * @param error          why the month could not be fetched, when it could not
 * @param recommendation by {@link RecommendationRule#CURRENT_DEMAND}, only once the month is in
 */
record AccountOutlook(AccountSnapshot account, DateWindow window, List<DailyPeak> days, Month month,
        Optional<String> error, Optional<Recommendation> recommendation) {
    /** Days of the window once the month is in: the 29 before today and today. */
    static final int DAYS = 30;

    /** Where the account's last 30 days stand. */
    enum Month {
        LOADED,
        /** Not fetched yet: the first view after start, or after a reload that changed the account. */
        LOADING,
        /** Fetched, but the upstream refused; the error is in the history. */
        FAILED,
        /** A paged page (many accounts) shows no month. */
        NOT_SHOWN
    }

    /** The ranks of the page, best known first: what the cards are ordered by. */
    enum Risk {
        /** A daily peak reached the purchased ports. */
        AT_CAPACITY("at-capacity"),
        /** A daily peak reached 80 % of them. */
        NEAR_CAPACITY("near-capacity"),
        /** The last poll failed: its figures may be old. */
        FAILING("failing"),
        /** Below 80 %, or no capacity to compare with. */
        OTHER("other");

        private final String css;

        Risk(String css) {
            this.css = css;
        }

        String css() {
            return css;
        }
    }

    /** At capacity first, then at 80 %, then failing, then the rest; by name within each. */
    static final Comparator<AccountOutlook> BY_RISK = Comparator.comparing(AccountOutlook::risk)
            .thenComparing(o -> o.account().name());

    AccountOutlook {
        days = List.copyOf(days);
    }

    /**
     * @param month the days before yesterday and whether they are in; yesterday and today always come from the polls
     */
    static AccountOutlook of(AccountSnapshot account, DateWindow window, ZoneId zone, HistorySection.PastDays month) {
        LocalDate first = month.state() == Month.LOADED ? window.today().minusDays(DAYS - 1) : window.yesterday();
        Observations observed = Observations.of(month.withRecent(window.select(account.usage())), first, window.today(),
                zone, HourSelection.ALL);
        long[] hourlyPeaks = observed.hours().stream().mapToLong(HourPeak::ports).toArray();
        Optional<Recommendation> recommendation = month.state() != Month.LOADED ? Optional.empty()
                : RecommendationRule.CURRENT_DEMAND.recommend(hourlyPeaks, account.account().capacity(),
                        OptionalDouble.empty());
        return new AccountOutlook(account, window, observed.dailyPeaks(), month.state(), month.error(), recommendation);
    }

    /** The first date of the window. */
    LocalDate from() {
        return days.get(0).date();
    }

    OptionalLong highestDailyPeak() {
        return days.stream().map(DailyPeak::peak).filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong)
                .max();
    }

    /** Days whose peak reached {@code level} (HIGH counts the days at capacity too); 0 without a capacity. */
    int daysAtLeast(Level level) {
        return (int) days.stream().filter(d -> d.peak().isPresent())
                .map(d -> Level.of(d.peak().getAsLong(), account.account().capacity()))
                .filter(l -> l.isPresent() && l.get().compareTo(level) <= 0).count();
    }

    /** The worst level a daily peak reached; empty without a capacity or without data. */
    Optional<Level> level() {
        OptionalLong highest = highestDailyPeak();
        return highest.isPresent() ? Level.of(highest.getAsLong(), account.account().capacity()) : Optional.empty();
    }

    Risk risk() {
        Optional<Level> level = level();
        if (level.isPresent() && level.get() == Level.FULL) {
            return Risk.AT_CAPACITY;
        }
        if (level.isPresent() && level.get() == Level.HIGH) {
            return Risk.NEAR_CAPACITY;
        }
        return account.polled() && !account.up() ? Risk.FAILING : Risk.OTHER;
    }

    /** Recommended minus purchased; empty without a recommendation or a capacity. */
    OptionalLong change() {
        return recommendation.map(r -> r.change(account.account().capacity())).orElse(OptionalLong.empty());
    }
}
