package dev.crcexporter.report;

import dev.crcexporter.capacity.Observations;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The sentences that qualify an account's figures, the same in text and HTML. */
final class ReportNotes {
    /** Lists of dates longer than this are cut, "and 12 more". */
    private static final int MAX_DATES = 10;

    private ReportNotes() {}

    /** Said whenever an hour reached the capacity, and only then. */
    static Optional<String> censoring(AccountReport report) {
        if (!report.censored()) {
            return Optional.empty();
        }
        AccountReport.HoursAtLevel full = report.atCapacity().orElseThrow();
        int capacity = report.capacity().getAsInt();
        return Optional.of(String.format(Locale.ROOT,
                "Demand was cut off at capacity: in %s on %s (%s) all %d purchased ports were"
                        + " busy. For those hours the API can only report %d; how many more ports callers wanted is"
                        + " unknown, and any further room system was refused. Figures shown as >=N are lower bounds of"
                        + " demand, and the trend of weekly peaks (which the recommendation follows) underestimates"
                        + " growth.",
                plural(full.hours(), "hour"), plural(full.dates().size(), "day"), dates(full.dates()), capacity,
                capacity));
    }

    /** Said when days or hours were not reported. */
    static Optional<String> missing(AccountReport report) {
        Observations.Coverage coverage = report.coverage();
        if (coverage.hoursMissing() == 0) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (!coverage.missingDays().isEmpty()) {
            parts.add(plural(coverage.missingDays().size(), "day") + " without any data ("
                    + dates(coverage.missingDays()) + ")");
        }
        if (coverage.hoursMissingOnDaysWithData() > 0) {
            parts.add(plural(coverage.hoursMissingOnDaysWithData(), "hour") + " missing on days with data");
        }
        return Optional.of(String.format(Locale.ROOT,
                "Missing data: %s; %,d of %,d hours were not reported. They are left out of every"
                        + " figure, never counted as 0.",
                String.join(" and ", parts), coverage.hoursMissing(), coverage.hoursExpected()));
    }

    static Optional<String> noCapacity(AccountReport report) {
        return report.capacity().isPresent() ? Optional.empty()
                : Optional.of("No capacity configured: hours near or at capacity, censoring and the week the trend"
                        + " reaches capacity cannot be told.");
    }

    /**
     * One sentence naming the accounts short of ports: "Short of ports for the next 12 months: hq needs 3 more, emea
     * 2 more." or "No account is short of ports for the next 12 months."
     */
    static String shortAccounts(CapacityReport report) {
        List<AccountReport> shortOfPorts = report.accounts().stream().filter(AccountReport.class::isInstance)
                .map(AccountReport.class::cast).filter(AccountReport::isShort).toList();
        String horizon = horizon(report.options());
        if (shortOfPorts.isEmpty()) {
            return "No account is short of ports " + horizon + ".";
        }
        StringBuilder text = new StringBuilder("Short of ports " + horizon + ": ");
        for (int i = 0; i < shortOfPorts.size(); i++) {
            AccountReport r = shortOfPorts.get(i);
            text.append(i == 0 ? "" : ", ").append(r.account()).append(i == 0 ? " needs " : " ")
                    .append(r.recommendedChange().getAsLong()).append(" more");
        }
        return text.append('.').toString();
    }

    /** "for the next 12 months", or "for the demand of the period" without a horizon. */
    static String horizon(ReportOptions options) {
        return options.rule().horizonMonths() == 0 ? "for the demand of the period"
                : "for the next " + options.rule().months();
    }

    /** Where the recommendation comes from: "from 2026-08-28 to 2026-11-25 (90 days), for the next 12 months". */
    static String window(ReportOptions options) {
        return "from " + options.window() + ", " + horizon(options);
    }

    /** "+3", "-5", "0". */
    static String signed(long value) {
        return value > 0 ? "+" + value : Long.toString(value);
    }

    static String plural(long count, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", count, noun, count == 1 ? "" : "s");
    }

    static String dates(List<LocalDate> dates) {
        String shown = dates.stream().limit(MAX_DATES).map(LocalDate::toString).collect(Collectors.joining(", "));
        return dates.size() > MAX_DATES ? shown + " and " + (dates.size() - MAX_DATES) + " more" : shown;
    }
}
