package dev.crcexporter.web;

import dev.crcexporter.capacity.DailyPeakChart;
import dev.crcexporter.capacity.RecommendationRule;
import dev.crcexporter.history.HistoryRefresher;
import dev.crcexporter.history.HistoryRefresher.AccountHistory;
import dev.crcexporter.html.Html;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.web.AccountOutlook.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The landing page's last 30 days of an account: where they come from and their chart. Days before yesterday come
 * from the {@link HistoryRefresher}, yesterday and today from the polls. Reading the page asks the refresher to look
 * for due accounts; it never waits for the upstream. The chart shows the daily peaks as bars under the capacity
 * line, with the line of the recommendation of {@link RecommendationRule#CURRENT_DEMAND} over the same days.
 *
 * <p>{@code <div class="history" data-account="hq">} holding {@code <svg class="daily-peaks history-chart">} (see
 * {@link DailyPeakChart}), only once the month is in.
 */
final class HistorySection {
    /** The section's own CSS (src/main/resources/dev/crcexporter/web/landing-page-history.css). */
    static final String STYLE = StyleSheets.load("landing-page-history.css");

    private static final int CHART_HEIGHT = 150;

    /**
     * The days before yesterday of an account and whether they are in.
     *
     * @param past  empty unless {@code state} is {@code LOADED}
     * @param error why the last attempt failed, when it did
     */
    record PastDays(Month state, List<DailyUsage> past, Optional<String> error) {
        static final PastDays NOT_SHOWN = new PastDays(Month.NOT_SHOWN, List.of(), Optional.empty());

        PastDays {
            past = List.copyOf(past);
        }

        /** These days and {@code recent} (yesterday and today, from the polls). */
        List<DailyUsage> withRecent(List<DailyUsage> recent) {
            List<DailyUsage> days = new ArrayList<>(past);
            days.addAll(recent);
            return days;
        }
    }

    private final HistoryRefresher refresher;

    HistorySection(HistoryRefresher refresher) {
        this.refresher = refresher;
    }

    /** Called once per page view: due accounts are fetched in the background, for a later view. */
    void pageViewed() {
        refresher.requestRefresh();
    }

    /** What is known of the account's days before yesterday. */
    PastDays pastDays(String account, DateWindow window) {
        Optional<AccountHistory> history = refresher.of(account);
        if (history.isEmpty()) {
            return new PastDays(Month.LOADING, List.of(), Optional.empty());
        }
        if (history.get().days().isEmpty()) {
            return new PastDays(Month.FAILED, List.of(), Optional.of(history.get().error().orElse("unknown error")));
        }
        List<DailyUsage> past = history.get().days().get().days().stream()
                .filter(day -> day.date().isBefore(window.yesterday())).toList();
        return new PastDays(Month.LOADED, past, history.get().error());
    }

    /** The chart of one account's card; empty until its month is in. */
    static String render(AccountOutlook outlook) {
        if (outlook.month() != Month.LOADED) {
            return "";
        }
        return "<div class=\"history\" data-account=\"" + Html.escape(outlook.account().name())
                + "\"><h3>Daily peaks, last " + AccountOutlook.DAYS + " days</h3>\n"
                + new DailyPeakChart(CHART_HEIGHT).render("history-chart",
                        outlook.account().name(), outlook.days(), outlook.account().account().capacity(),
                        outlook.recommendation(), Optional.empty()) + "</div>\n";
    }

    /** Once per page: what the cards show, in which order, and where the full report is documented. */
    static String docs() {
        RecommendationRule report = new RecommendationRule(RecommendationRule.DEFAULT_PERCENTILE,
                RecommendationRule.DEFAULT_HEADROOM, RecommendationRule.CURRENT_DEMAND.selection(),
                RecommendationRule.DEFAULT_HORIZON_MONTHS);
        return "<section id=\"capacity-report\"><h2>How many ports? What the cards show</h2><p>Each card leads with the"
                + " last " + AccountOutlook.DAYS + " days against the purchased ports: the highest daily peak (a day's"
                + " highest hourly peak), and on how many days it reached the purchased ports and 80&#8239;% of them."
                + " Days without data are marked, not counted as 0. Cards are ordered by risk: accounts that reached"
                + " capacity, then those that reached 80&#8239;%, then failing ones, then the rest, by name within"
                + " each; accounts without a configured capacity have nothing to compare with and rank with the rest."
                + " Until an account's month has loaded its card shows yesterday and today only, and no"
                + " recommendation.</p><p>The"
                + " recommendation is the demand of those " + AccountOutlook.DAYS + " days: "
                + Html.escape(RecommendationRule.CURRENT_DEMAND.text()) + ". Where an hour reached the capacity, demand"
                + " may have been higher than the API can tell, and the recommendation is only a lower bound (\"at"
                + " least\"). For a purchase, run <code>crc-exporter report --config.file=FILE --format=html"
                + " --output=ports.html</code>: over 90 days by default, it recommends " + Html.escape(report.text())
                + ", and adds percentiles of daily peaks, the weekly trend and the weekday &times; hour grid;"
                + " docs/capacity-report.md documents it.</p></section>\n";
    }
}
