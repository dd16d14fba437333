package dev.crcexporter.web;

import dev.crcexporter.capacity.Level;
import dev.crcexporter.capacity.Recommendation;
import dev.crcexporter.capacity.RecommendationRule;
import dev.crcexporter.html.Html;
import dev.crcexporter.web.AccountOutlook.Month;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The top of an account's card: its days against the purchased ports, coloured by the worst level a day reached
 * ({@code <p class="headline full">}), then how many ports it needs against those bought
 * ({@code <p class="recommendation" data-ports="43">}), with the window the figure is taken over. Until the month has
 * loaded the recommendation says so and shows no figure.
 */
final class CardOutlook {
    private CardOutlook() {}

    static void append(StringBuilder html, AccountOutlook outlook) {
        headline(html, outlook);
        recommendation(html, outlook);
    }

    /** "Last 30 days: highest daily peak 40 of 40 purchased · at capacity on 4 days · ≥ 80 % on 17 days". */
    private static void headline(StringBuilder html, AccountOutlook outlook) {
        OptionalInt capacity = outlook.account().account().capacity();
        OptionalLong highest = outlook.highestDailyPeak();
        html.append("<p class=\"headline").append(outlook.level().map(l -> " " + l.css()).orElse("")).append("\">")
                .append("<span class=\"window\">").append(window(outlook)).append(":</span> ");
        if (highest.isEmpty()) {
            html.append("no hour reported</p>\n");
            return;
        }
        html.append("<strong>highest daily peak ").append(highest.getAsLong());
        if (capacity.isEmpty()) {
            html.append("</strong> &middot; no capacity configured, so nothing to compare it with</p>\n");
            return;
        }
        int full = outlook.daysAtLeast(Level.FULL);
        int high = outlook.daysAtLeast(Level.HIGH);
        html.append(" of ").append(capacity.getAsInt()).append(" purchased</strong> &middot; ")
                .append(full > 0 ? "at capacity on " + days(full) + " &middot; &ge;&#8239;80&#8239;% on " + days(high)
                        : high > 0 ? "&ge;&#8239;80&#8239;% on " + days(high) + ", never at capacity"
                        : "below 80&#8239;% every day").append("</p>\n");
    }

    /** "Last 30 days", or "Yesterday and today" while the month is not in. */
    private static String window(AccountOutlook outlook) {
        return outlook.month() == Month.LOADED ? "Last " + AccountOutlook.DAYS + " days" : "Yesterday and today";
    }

    private static void recommendation(StringBuilder html, AccountOutlook outlook) {
        switch (outlook.month()) {
            case LOADING -> html.append("<p class=\"recommendation loading\">Loading the last ")
                    .append(AccountOutlook.DAYS).append(" days: the number of ports needed follows once they are in")
                    .append(" (reload in a moment).</p>\n");
            case FAILED -> html.append("<p class=\"recommendation failed\">The last ").append(AccountOutlook.DAYS)
                    .append(" days could not be fetched (").append(Html.escape(outlook.error().orElse("unknown error")))
                    .append("): no recommendation from yesterday and today alone; they are asked for again")
                    .append(" later.</p>\n");
            case NOT_SHOWN -> { }
            case LOADED -> loaded(html, outlook);
        }
    }

    /** "Needs 43: 3 more than the 40 bought", and the window and rule it comes from. */
    private static void loaded(StringBuilder html, AccountOutlook outlook) {
        Optional<Recommendation> recommendation = outlook.recommendation();
        if (recommendation.isEmpty()) {
            html.append("<p class=\"recommendation\">No recommendation: no hour reported in the last ")
                    .append(AccountOutlook.DAYS).append(" days.</p>\n");
            return;
        }
        Recommendation r = recommendation.get();
        OptionalInt capacity = outlook.account().account().capacity();
        OptionalLong change = outlook.change();
        html.append("<p class=\"recommendation").append(change.orElse(0) > 0 ? " short" : "").append("\" data-ports=\"")
                .append(r.ports()).append("\">Needs <strong>").append(Html.escape(r.portsText())).append("</strong>");
        if (capacity.isEmpty()) {
            html.append(" (no capacity configured to compare with)");
        } else if (change.getAsLong() > 0) {
            html.append(": <strong>").append(change.getAsLong()).append(" more</strong> than the ")
                    .append(capacity.getAsInt()).append(" bought");
        } else if (change.getAsLong() < 0) {
            html.append(": ").append(-change.getAsLong()).append(" fewer than the ").append(capacity.getAsInt())
                    .append(" bought");
        } else {
            html.append(": the ").append(capacity.getAsInt()).append(" bought");
        }
        html.append(" <span class=\"rule\">for the demand of the last ").append(AccountOutlook.DAYS).append(" days (")
                .append(outlook.from()).append(" to ").append(outlook.window().today()).append("): ")
                .append(Html.escape(RecommendationRule.CURRENT_DEMAND.shortText()))
                .append(" (<a class=\"report-docs\" href=\"#capacity-report\">how, and for a purchase</a>)")
                .append("</span></p>\n");
    }

    private static String days(int count) {
        return count + (count == 1 ? " day" : " days");
    }
}
