package dev.crcexporter.report;

import dev.crcexporter.capacity.WeeklyTrend;
import dev.crcexporter.report.CapacityReport.AccountResult;
import dev.crcexporter.report.CapacityReport.FailedAccount;
import dev.crcexporter.upstream.HourUsage;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --format=text}: for a terminal. A heading, an aligned table with one row per account, then per account
 * the recommendation with its arithmetic and the notes that qualify the figures (censoring, missing data).
 */
final class TextReport {
    private static final String[] HEADINGS = {"account", "capacity", "peak", "peak at", "daily p95", "daily p99",
            "h>=80% (days)", "h@100% (days)", "data days", "trend/week", "reaches capacity", "bought -> recommended"};
    /** Columns aligned left (text); the others are numbers, aligned right. */
    private static final boolean[] LEFT = {true, false, false, true, false, false, false, false, false, false, true,
        true};
    private static final String MISSING = "-";

    private TextReport() {}

    static void write(CapacityReport report, Writer out) throws IOException {
        ReportOptions options = report.options();
        out.write(String.format(Locale.ROOT, "CRC capacity report %s, %s, in each account's time zone\n\n%s\n\n",
                options.window(), options.selection().describe(), ReportNotes.shortAccounts(report)));
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (AccountResult result : report.accounts()) {
            rows.add(result instanceof AccountReport figures ? row(figures) : failedRow(result));
        }
        table(rows, out);

        out.write("\nh>=80% (days), h@100% (days): hours at 80 % and at 100 % of capacity, and on how many days."
                + " >=N: at capacity, demand was at least N.\ndata days: days with data of the days in the period."
                + " reaches capacity: the week of the first day at capacity, or the week the least-squares line of"
                + " weekly peaks reaches it.\nbought -> recommended: the purchased ports and the recommendation"
                + " below, with the difference; SHORT where more are needed.\n");
        out.write(String.format(Locale.ROOT, "\nRecommended ports, %s: %s.\n", ReportNotes.window(options),
                options.rule().text()));
        for (AccountResult result : report.accounts()) {
            if (result instanceof AccountReport figures) {
                out.write("  " + figures.account() + ": " + figures.recommendation()
                        .map(r -> r.portsText() + " (" + r.arithmetic() + ")")
                        .orElse("none: no hour was reported") + "\n");
            }
        }
        List<String> notes = new ArrayList<>();
        for (AccountResult result : report.accounts()) {
            if (result instanceof AccountReport figures) {
                for (Optional<String> note : List.of(ReportNotes.censoring(figures), ReportNotes.missing(figures),
                        ReportNotes.noCapacity(figures))) {
                    note.ifPresent(text -> notes.add(figures.account() + ": " + text));
                }
            } else if (result instanceof FailedAccount failed) {
                notes.add(failed.account() + ": FAILED, skipped: " + failed.error());
            }
        }
        if (!notes.isEmpty()) {
            out.write("\nNotes:\n");
            for (String note : notes) {
                // One line each, and no terminal control characters, whatever an upstream error message holds.
                out.write("  " + note.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?") + "\n");
            }
        }
        out.flush();
    }

    private static String[] row(AccountReport r) {
        return new String[] {
            r.account(),
            r.capacity().isPresent() ? Integer.toString(r.capacity().getAsInt()) : MISSING,
            r.peak().map(p -> r.demandText(p.ports())).orElse(MISSING),
            r.peak().map(p -> p.date() + " " + HourUsage.label(p.hour()) + ":00" + (r.hoursAtPeak() > 1
                    ? " (" + r.hoursAtPeak() + " hours)" : "")).orElse(MISSING),
            r.dailyPeakP95().isPresent() ? r.demandText(r.dailyPeakP95().getAsLong()) : MISSING,
            r.dailyPeakP99().isPresent() ? r.demandText(r.dailyPeakP99().getAsLong()) : MISSING,
            r.nearCapacity().map(l -> l.hours() + " (" + l.dates().size() + ")").orElse(MISSING),
            r.atCapacity().map(l -> l.hours() + " (" + l.dates().size() + ")").orElse(MISSING),
            r.coverage().daysWithData() + "/" + r.coverage().days(),
            r.trend().slope().isPresent() ? String.format(Locale.ROOT, "%+.2f", r.trend().slope().getAsDouble())
                    : MISSING,
            reaches(r.trend().crossing()),
            boughtToRecommended(r)
        };
    }

    /** "40 -> 59 (+19) SHORT", "10 -> 5 (-5)", "- -> 13" without a capacity, "40 -> >=44 (+4) SHORT". */
    private static String boughtToRecommended(AccountReport r) {
        if (r.recommendation().isEmpty()) {
            return MISSING;
        }
        String recommended = (r.recommendation().get().lowerBound() ? ">=" : "") + r.recommendation().get().ports();
        if (r.capacity().isEmpty()) {
            return MISSING + " -> " + recommended;
        }
        String change = ReportNotes.signed(r.recommendedChange().getAsLong());
        return r.capacity().getAsInt() + " -> " + recommended + " (" + change + ")" + (r.isShort() ? " SHORT" : "");
    }

    /** The crossing, short enough for a table: "already, since 2026-11-23", "2027-05-03", "not within a year". */
    private static String reaches(WeeklyTrend.Crossing crossing) {
        return switch (crossing.reach()) {
            case ALREADY -> "already, since " + crossing.week().orElseThrow();
            case WITHIN_A_YEAR -> "week of " + crossing.week().orElseThrow();
            case NOT_WITHIN_A_YEAR -> "not within a year";
            case NO_CAPACITY -> "no capacity";
            case TOO_FEW_WEEKS -> "too few weeks";
        };
    }

    private static String[] failedRow(AccountResult result) {
        String[] row = new String[HEADINGS.length];
        Arrays.fill(row, "");
        row[0] = result.account();
        row[1] = "FAILED (see notes)";
        return row;
    }

    private static void table(List<String[]> rows, Writer out) throws IOException {
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            if (row[1].startsWith("FAILED")) {
                widths[0] = Math.max(widths[0], row[0].length());
                continue;
            }
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                if (i > 0) {
                    line.append("  ");
                }
                if (row[1].startsWith("FAILED") && i == 1) {
                    line.append(cell);
                    break;
                }
                String padding = " ".repeat(widths[i] - cell.length());
                line.append(LEFT[i] ? cell + padding : padding + cell);
            }
            out.write(line.toString().stripTrailing() + "\n");
        }
    }
}
