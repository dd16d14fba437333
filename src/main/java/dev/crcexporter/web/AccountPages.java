package dev.crcexporter.web;

import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Which account cards the landing page shows. Up to {@value #ALL_CARDS_UP_TO} accounts: all of them, in the
 * configured order. Beyond (a card with its chart is about 6 KB; 10,000 of them would be a 60 MB page): the worst
 * accounts first, {@value #PAGE_SIZE} to a page, with links to the other pages.
 */
final class AccountPages {
    static final int ALL_CARDS_UP_TO = 300;
    static final int PAGE_SIZE = 50;

    /**
     * The cards of one page.
     *
     * @param accounts the accounts to show, in order
     * @param number   this page, from 1
     * @param pages    how many pages there are (1 when every account is shown)
     * @param total    accounts configured
     */
    record Page(List<AccountSnapshot> accounts, int number, int pages, int total) {
        boolean paged() {
            return pages > 1 || total > ALL_CARDS_UP_TO;
        }

        int first() {
            return (number - 1) * PAGE_SIZE + 1;
        }
    }

    /** A {@code ?page=} that is not one of the pages. */
    static final class NoSuchPage extends Exception {
        NoSuchPage(String message) {
            super(message);
        }
    }

    private AccountPages() {}

    /** Page {@code requested} (null: the first) of {@code accounts}, each as of its window ({@code windowOf}). */
    static Page page(List<AccountSnapshot> accounts, Function<AccountSnapshot, DateWindow> windowOf, String requested)
            throws NoSuchPage {
        int total = accounts.size();
        if (total <= ALL_CARDS_UP_TO) {
            if (requested != null && !requested.equals("1")) {
                throw new NoSuchPage("page must be 1: all " + total + " accounts are on it (got \"" + shorten(requested) + "\")");
            }
            return new Page(accounts, 1, 1, total);
        }
        int pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
        int number;
        try {
            number = requested == null ? 1 : Integer.parseInt(requested.trim());
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1 || number > pages) {
            throw new NoSuchPage("page must be a number from 1 to " + pages + " (got \"" + shorten(requested) + "\")");
        }
        List<AccountSnapshot> worstFirst = accounts.stream().map(a -> Ranked.of(a, windowOf.apply(a))).sorted(Ranked.WORST_FIRST)
                .map(Ranked::account).toList();
        int from = (number - 1) * PAGE_SIZE;
        return new Page(worstFirst.subList(from, Math.min(from + PAGE_SIZE, total)), number, pages, total);
    }

    /** An account with what it is ranked by, worked out once per page view. */
    private record Ranked(AccountSnapshot account, boolean failing, double utilisation, long current) {
        /** Failing accounts, then the highest use of the purchased ports this hour, then the busiest; ties by name. */
        static final Comparator<Ranked> WORST_FIRST = Comparator.comparing((Ranked r) -> !r.failing())
                .thenComparing(Ranked::utilisation, Comparator.reverseOrder())
                .thenComparing(Ranked::current, Comparator.reverseOrder())
                .thenComparing(r -> r.account().name());

        static Ranked of(AccountSnapshot account, DateWindow window) {
            OptionalLong current = window.currentMaxUsage(window.select(account.usage()));
            OptionalInt capacity = account.account().capacity();
            double utilisation = current.isPresent() && capacity.isPresent() ? (double) current.getAsLong() / capacity.getAsInt() : -1;
            return new Ranked(account, account.polled() && !account.up(), utilisation, current.orElse(-1));
        }
    }

    /** The line between the summary and the cards of a paged page; empty when every account is shown. */
    static String navigation(Page page) {
        if (!page.paged()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<nav class=\"pages\"><span>Accounts ").append(page.first()).append("&ndash;")
                .append(page.first() + page.accounts().size() - 1).append(" of ").append(page.total())
                .append(", worst first (failing, then by use of the purchased ports now) &middot; page ")
                .append(page.number()).append(" of ").append(page.pages()).append("</span>");
        if (page.number() > 1) {
            html.append(" <a rel=\"prev\" href=\"?page=").append(page.number() - 1).append("\">&lsaquo; previous</a>");
        }
        if (page.number() < page.pages()) {
            html.append(" <a rel=\"next\" href=\"?page=").append(page.number() + 1).append("\">next &rsaquo;</a>");
        }
        return html.append("</nav>\n").toString();
    }

    private static String shorten(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
