package dev.crcexporter.web;

import dev.crcexporter.web.AccountOutlook.Month;
import dev.crcexporter.web.AccountOutlook.Risk;
import java.util.List;

/**
 * The line above the cards that answers for the whole fleet: "1 of 4 accounts reached capacity in the last 30 days;
 * 1 needs more ports." It counts what is known: accounts whose month is still loading count with yesterday and today
 * (and the line says how many), and only accounts with a loaded month can need more ports. Accounts without a
 * configured capacity are counted apart: nothing says whether they are short.
 */
final class FleetSummary {
    private FleetSummary() {}

    /** {@code months}: whether the page shows the last 30 days (false on a paged page of many accounts). */
    static void append(StringBuilder html, List<AccountOutlook> accounts, boolean months) {
        int total = accounts.size();
        long full = accounts.stream().filter(a -> a.risk() == Risk.AT_CAPACITY).count();
        long near = accounts.stream().filter(a -> a.risk() == Risk.NEAR_CAPACITY).count();
        long loading = accounts.stream().filter(a -> a.month() == Month.LOADING).count();
        long failed = accounts.stream().filter(a -> a.month() == Month.FAILED).count();
        long needMore = accounts.stream().filter(a -> a.change().orElse(0) > 0).count();
        long noCapacity = accounts.stream().filter(a -> a.account().account().capacity().isEmpty()).count();
        String level = full > 0 ? " full" : near > 0 ? " high" : "";
        StringBuilder text = new StringBuilder();
        String who = full > 0 ? "<strong>" + full + " of " + total + (total == 1 ? " account" : " accounts")
                + " reached</strong>" : total == 1 ? "The account did not reach" : "None of the " + total
                + " accounts reached";
        text.append(who).append(" capacity ")
                .append(months ? "in the last " + AccountOutlook.DAYS + " days" : "yesterday or today");
        if (months && loading + failed > 0) {
            text.append(" (yesterday and today only for ").append(loading > 0 ? loading + " still loading" : "")
                    .append(loading > 0 && failed > 0 ? " and " : "")
                    .append(failed > 0 ? failed + " whose month could not be fetched" : "").append(')');
        }
        if (near > 0) {
            text.append(", ").append(near).append(" more reached 80&#8239;%");
        }
        if (months) {
            text.append("; ").append(needMore == 0 ? "none needs" : "<strong>" + needMore
                    + (needMore == 1 ? " needs" : " need") + " more ports</strong>");
            if (needMore == 0) {
                text.append(" more ports");
            }
        }
        text.append('.');
        if (noCapacity > 0) {
            text.append(' ').append(noCapacity).append(noCapacity == 1 ? " has" : " have")
                    .append(" no capacity configured to compare with.");
        }
        html.append("<p class=\"summary").append(level).append("\">").append(text).append("</p>\n");
    }
}
