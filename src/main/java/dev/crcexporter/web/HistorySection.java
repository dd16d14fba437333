package dev.crcexporter.web;

import dev.crcexporter.history.HistoryRefresher;
import dev.crcexporter.history.HistoryRefresher.AccountHistory;
import dev.crcexporter.html.Html;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.report.AccountReport;
import dev.crcexporter.report.AccountStatistics;
import dev.crcexporter.report.DailyPeakChart;
import dev.crcexporter.report.HourSelection;
import dev.crcexporter.report.Recommendation;
import dev.crcexporter.report.ReportOptions;
import dev.crcexporter.upstream.DailyUsage;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The landing page's last 30 days of an account: daily peaks as bars under the capacity line, with the line and the
 * figure of the recommendation the {@code report} command would make over the same days (its default rule), and a
 * link to how it is computed. Days before yesterday come from the {@link HistoryRefresher}, yesterday and today from
 * the polls. Reading the page asks the refresher to look for due accounts; it never waits for the upstream.
 *
 * <p>{@code <div class="history" data-account="hq">} holding {@code <svg class="daily-peaks history-chart">} (see
 * {@link DailyPeakChart}) and {@code <p class="recommendation" data-ports="44">}.
 */
final class HistorySection {
    /** The chart's CSS and the section's own (src/main/resources/dev/crcexporter/web/landing-page-history.css). */
    static final String STYLE = DailyPeakChart.STYLE + StyleSheets.load("landing-page-history.css");

    private static final int DAYS = HistoryRefresher.PAST_DAYS + 1;
    private static final int CHART_WIDTH = 480;

    private final HistoryRefresher refresher;
    private final ZoneId zone;

    HistorySection(HistoryRefresher refresher, ZoneId zone) {
        this.refresher = refresher;
        this.zone = zone;
    }

    /** Called once per page view: due accounts are fetched in the background, for a later view. */
    void pageViewed() {
        refresher.requestRefresh();
    }

    /** The section of one account's card. */
    String render(AccountSnapshot account, DateWindow window) {
        String name = Html.escape(account.name());
        Optional<AccountHistory> history = refresher.of(account.name());
        LocalDate first = window.today().minusDays(DAYS - 1);
        List<DailyUsage> days = new ArrayList<>();
        history.flatMap(AccountHistory::days).ifPresent(past -> past.days().stream()
                .filter(day -> day.date().isBefore(window.yesterday())).forEach(days::add));
        days.addAll(window.select(account.usage()));
        ReportOptions options = new ReportOptions(first, window.today(), HourSelection.ALL, ReportOptions.DEFAULT_PERCENTILE,
                ReportOptions.DEFAULT_HEADROOM);
        AccountReport report = AccountStatistics.compute(account.name(), account.account().capacity(),
                account.account().zone(zone), days, options);

        StringBuilder html = new StringBuilder(8192);
        html.append("<div class=\"history\" data-account=\"").append(name).append("\"><h3>Daily peaks, last ").append(DAYS)
                .append(" days</h3>\n");
        html.append(new DailyPeakChart(CHART_WIDTH).render("history-chart", account.name(), report.dailyPeaks(),
                account.account().capacity(), report.recommendation(), Optional.empty()));
        html.append("<p class=\"recommendation\"").append(report.recommendation()
                        .map(r -> " data-ports=\"" + r.ports() + "\"").orElse("")).append('>')
                .append(recommendation(report.recommendation(), history))
                .append(" <a class=\"report-docs\" href=\"#capacity-report\">how this is computed</a></p>\n</div>\n");
        return html.toString();
    }

    private static String recommendation(Optional<Recommendation> recommendation, Optional<AccountHistory> history) {
        String past = history.isEmpty() ? " (the earlier days are being fetched: reload in a moment)"
                : history.get().days().isEmpty() ? " (the earlier days could not be fetched: "
                        + history.get().error().orElse("unknown error") + ")" : "";
        if (recommendation.isEmpty()) {
            return "No recommendation: no hour reported yet" + Html.escape(past) + ".";
        }
        Recommendation r = recommendation.get();
        return "Recommended: <strong>" + Html.escape(r.portsText()) + " ports</strong> (" + Html.escape(r.rule()) + ")"
                + Html.escape(past) + ".";
    }

    /** Once per page: what the history shows and where the full report is documented. */
    static String docs() {
        ReportOptions rule = new ReportOptions(LocalDate.EPOCH, LocalDate.EPOCH, HourSelection.ALL,
                ReportOptions.DEFAULT_PERCENTILE, ReportOptions.DEFAULT_HEADROOM);
        return "<section id=\"capacity-report\"><h2>How many ports? The capacity report</h2><p>The daily peaks of the"
                + " last " + DAYS + " days are the highest hourly peak of each day; days without data are marked, not"
                + " drawn as 0. The recommendation is " + Html.escape(rule.rule()) + ", over those days. Where an hour"
                + " reached the capacity, demand may have been higher than the API can tell, and the recommendation is"
                + " only a lower bound (\"at least\"). For months of history, percentiles of daily peaks, hours near and at"
                + " capacity, the weekly trend and the weekday &times; hour grid, run <code>crc-exporter report"
                + " --config.file=FILE --format=html --output=ports.html</code>; docs/capacity-report.md documents it."
                + "</p></section>\n";
    }
}
