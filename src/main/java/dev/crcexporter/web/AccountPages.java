package dev.crcexporter.web;

import java.util.List;

/**
 * Which account cards the landing page shows, in which order: worst first (see {@link AccountOutlook#BY_RISK}), at
 * any number of accounts. Up to {@value #ALL_CARDS_UP_TO} accounts all are shown; beyond (a card with its chart is
 * about 6 KB; 10,000 of them would be a 60 MB page) {@value #PAGE_SIZE} to a page, with links to the other pages.
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
    record Page(List<AccountOutlook> accounts, int number, int pages, int total) {
        boolean paged() {
            return AccountPages.paged(total);
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

    /** Whether {@code total} accounts are shown a page at a time. */
    static boolean paged(int total) {
        return total > ALL_CARDS_UP_TO;
    }

    /** Page {@code requested} (null: the first) of {@code accounts}, worst first. */
    static Page page(List<AccountOutlook> accounts, String requested) throws NoSuchPage {
        int total = accounts.size();
        List<AccountOutlook> worstFirst = accounts.stream().sorted(AccountOutlook.BY_RISK).toList();
        if (!paged(total)) {
            if (requested != null && !requested.equals("1")) {
                throw new NoSuchPage("page must be 1: all " + total + " accounts are on it (got \""
                        + shorten(requested) + "\")");
            }
            return new Page(worstFirst, 1, 1, total);
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
        int from = (number - 1) * PAGE_SIZE;
        return new Page(worstFirst.subList(from, Math.min(from + PAGE_SIZE, total)), number, pages, total);
    }

    /** The line between the summary and the cards of a paged page; empty when every account is shown. */
    static String navigation(Page page) {
        if (!page.paged()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<nav class=\"pages\"><span>Accounts ").append(page.first())
                .append("&ndash;").append(page.first() + page.accounts().size() - 1).append(" of ").append(page.total())
                .append(", worst first &middot; page ")
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
