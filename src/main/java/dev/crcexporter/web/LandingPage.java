package dev.crcexporter.web;

import dev.crcexporter.capacity.DailyPeakChart;
import dev.crcexporter.capacity.Level;
import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Shard;
import dev.crcexporter.config.Source;
import dev.crcexporter.html.Html;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.poll.PollError;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The page at {@code /}: what this is, where the metrics are, a summary of the fleet ("1 of 4 accounts reached
 * capacity in the last 30 days; 1 needs more ports") and one card per account, worst first ({@link AccountPages}).
 * Each card leads with its last 30 days against the purchased ports ({@link AccountOutlook}: the highest daily peak,
 * the days at capacity and at 80 %, coloured by the worst), then how many ports it needs against those bought (only
 * once the month has loaded), then, smaller, the ports in use now and today's peak; then the 30 days as a chart
 * ({@link HistorySection}), yesterday's and today's hourly peaks ({@link HourlyPeakChart}: inline SVG, no
 * JavaScript, nothing loaded from elsewhere), the last successful poll and the last error. The current data is what
 * {@code /metrics} exposes: the same snapshots cut by the same {@link DateWindow}. One set of thresholds colours
 * everything: {@link Level}.
 *
 * <p>Elements tests rely on: {@code <p class="summary">}, {@code <section class="card" data-account="hq"
 * data-risk="at-capacity">}, its {@code <p class="headline">}, {@code <p class="recommendation" data-ports="44">}
 * (no data-ports before the month has loaded), {@code <svg class="usage-chart" data-account="hq">}, one
 * {@code <rect class="bar" data-date="2026-11-26" data-hour="10" data-value="30">} per reported hour and
 * {@code <line class="capacity" data-value="40">} when a capacity is configured.
 */
final class LandingPage {
    /** Failing accounts named in the status line at most; the others are counted. */
    private static final int FAILING_NAMED = 20;
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    /** The page's CSS (src/main/resources/dev/crcexporter/web/landing-page.css) and the charts'. */
    private static final String STYLE = StyleSheets.load("landing-page.css") + DailyPeakChart.STYLE;

    private final BuildInfo buildInfo;
    private final String metricsPath;
    private final Clock clock;
    private final ZoneId zone;
    private final Optional<Shard> shard;
    private final Optional<HistorySection> history;

    LandingPage(BuildInfo buildInfo, String metricsPath, Clock clock, ZoneId zone, Optional<Shard> shard,
            Optional<HistorySection> history) {
        this.buildInfo = buildInfo;
        this.metricsPath = metricsPath;
        this.clock = clock;
        this.zone = zone;
        this.shard = shard;
        this.history = history;
    }

    /** The page of all accounts, or (many accounts) page {@code requestedPage} of them; see {@link AccountPages}. */
    String render(List<AccountSnapshot> accounts, String requestedPage) throws AccountPages.NoSuchPage {
        Instant now = clock.instant();
        // The month of history is for a page that shows every account: fetching and keeping a month of thousands
        // of accounts would cost a request each and more heap than their two days (the report command covers a fleet).
        Optional<HistorySection> history = AccountPages.paged(accounts.size()) ? Optional.empty() : this.history;
        history.ifPresent(HistorySection::pageViewed);
        List<AccountOutlook> outlooks = new ArrayList<>(accounts.size());
        for (AccountSnapshot account : accounts) {
            // Each account in its own zone (the page's zone unless it sets one).
            ZoneId accountZone = account.account().zone(zone);
            DateWindow window = DateWindow.at(now, accountZone);
            HistorySection.PastDays past = history.map(h -> h.pastDays(account.name(), window))
                    .orElse(HistorySection.PastDays.NOT_SHOWN);
            outlooks.add(AccountOutlook.of(account, window, accountZone, past));
        }
        AccountPages.Page page = AccountPages.page(outlooks, requestedPage);
        StringBuilder html = new StringBuilder(8192 + 7168 * page.accounts().size());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>crc-exporter</title><style>").append(STYLE)
                .append(history.isPresent() ? HistorySection.STYLE : "").append("</style></head><body>\n")
                .append("<header><h1>crc-exporter</h1>")
                .append("<p>Cloud Room Connector (CRC) port usage for Prometheus &middot; version ")
                .append(Html.escape(buildInfo.version())).append(" (revision ")
                .append(Html.escape(buildInfo.revision()))
                .append(")</p>\n<nav><a href=\"").append(Html.escape(relative(metricsPath))).append("\">Metrics</a>")
                .append("<a href=\"-/healthy\">Health</a><a href=\"-/ready\">Readiness</a></nav>");
        shard.ifPresent(s -> shardLine(html, s, accounts.isEmpty()));
        html.append("</header>\n");
        FleetSummary.append(html, outlooks, history.isPresent());
        status(html, accounts, now);
        html.append(AccountPages.navigation(page));
        if (page.paged() && this.history.isPresent()) {
            html.append("<p class=\"no-history\">The daily peaks of the last 30 days are shown up to ")
                    .append(AccountPages.ALL_CARDS_UP_TO)
                    .append(" accounts; for more, <code>crc-exporter report</code> gives them with the recommended")
                    .append(" number of ports.</p>\n");
        }
        html.append("<main class=\"grid\">\n");
        for (AccountOutlook account : page.accounts()) {
            card(html, account, now);
        }
        html.append("</main>\n").append(history.isPresent() ? HistorySection.docs() : "").append("</body></html>\n");
        return html.toString();
    }

    /** How many accounts are up and failing, and when and in which zone the hours are read. */
    private void status(StringBuilder html, List<AccountSnapshot> accounts, Instant now) {
        long failing = accounts.stream().filter(a -> a.polled() && !a.up()).count();
        long up = accounts.stream().filter(AccountSnapshot::up).count();
        html.append("<p class=\"status\">").append(accounts.size())
                .append(accounts.size() == 1 ? " account" : " accounts").append(": ").append(up).append(" up");
        if (failing > 0) {
            html.append(", <strong class=\"down\">").append(failing).append(" failing</strong> (");
            int named = 0;
            for (AccountSnapshot account : accounts) {
                if (account.polled() && !account.up() && named < FAILING_NAMED) {
                    html.append(named > 0 ? ", " : "").append("<a href=\"#account-").append(Html.escape(account.name()))
                            .append("\">").append(Html.escape(account.name())).append("</a>");
                    named++;
                }
            }
            html.append(failing > named ? " and " + (failing - named) + " more" : "").append(')');
        }
        html.append(" &middot; cards worst first: at capacity, then at 80&#8239;%, then failing, then the rest")
                .append(" &middot; hours in ").append(Html.escape(zone.getId())).append(" (now ")
                .append(Html.escape(LOCAL_TIME.format(now.atZone(zone)))).append(")</p>\n");
    }

    private void card(StringBuilder html, AccountOutlook outlook, Instant now) {
        AccountSnapshot account = outlook.account();
        DateWindow window = outlook.window();
        String name = Html.escape(account.name());
        boolean failing = account.polled() && !account.up();
        List<DailyUsage> days = window.select(account.usage());
        OptionalInt capacity = account.account().capacity();

        html.append("<section class=\"card risk-").append(outlook.risk().css()).append(failing ? " failing" : "")
                .append("\" id=\"account-").append(name).append("\" data-account=\"").append(name)
                .append("\" data-risk=\"").append(outlook.risk().css()).append("\">\n<div class=\"head\"><h2>")
                .append(name).append("</h2>").append(badge(account)).append("</div>\n")
                .append(sourceLine(account.account()));
        CardOutlook.append(html, outlook);
        now(html, days, window, capacity);
        html.append(HistorySection.render(outlook));
        HourlyPeakChart.append(html, name, days, window, capacity);
        html.append("<dl><dt>Last success</dt><dd>").append(ago(account.lastSuccess(), now)).append("</dd>")
                .append("<dt>Last error</dt><dd>").append(error(account, now)).append("</dd></dl>\n</section>\n");
    }

    /** The ports in use now and today's peak, smaller, coloured by the same thresholds as the rest. */
    private static void now(StringBuilder html, List<DailyUsage> days, DateWindow window, OptionalInt capacity) {
        OptionalLong current = window.currentMaxUsage(days);
        OptionalLong todaysPeak = days.stream().filter(d -> d.date().equals(window.today()))
                .map(DailyUsage::peak).filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).max();
        html.append("<p class=\"now\">");
        figure(html, current, capacity, "now", " in use now (" + HourUsage.label(window.currentHour()) + ":00 h)");
        html.append(" &middot; ");
        figure(html, todaysPeak, capacity, "today", " today's peak");
        html.append("</p>\n");
    }

    /** "<b>35</b> in use now (10:00 h), 88 % of 40", coloured by its level. */
    private static void figure(StringBuilder html, OptionalLong ports, OptionalInt capacity, String kind,
            String label) {
        Optional<Level> level = ports.isPresent() ? Level.of(ports.getAsLong(), capacity) : Optional.empty();
        html.append("<span class=\"figure ").append(kind).append(level.map(l -> " " + l.css()).orElse(""))
                .append("\"><span class=\"value\">")
                .append(ports.isPresent() ? Long.toString(ports.getAsLong()) : "&ndash;").append("</span>")
                .append(label);
        if (ports.isPresent() && capacity.isPresent()) {
            html.append(", ").append(Math.round(100.0 * ports.getAsLong() / capacity.getAsInt())).append("&#8239;% of ")
                    .append(capacity.getAsInt());
        }
        html.append("</span>");
    }

    /** Which share of the accounts this replica serves ({@code --shard}); an empty shard says why it shows nothing. */
    private static void shardLine(StringBuilder html, Shard shard, boolean empty) {
        html.append("<p class=\"shard\" data-shard=\"").append(shard.index()).append("\" data-shards=\"")
                .append(shard.count()).append("\">shard ").append(shard.index()).append(" of ").append(shard.count())
                .append(" (counted from 0): the accounts whose name hashes to this shard");
        if (empty) {
            html.append(" &middot; <strong>none of the configured accounts hashes to this shard</strong>");
        }
        html.append("</p>");
    }

    /** Which API the account's numbers come from, and its zone when it is not the page's. */
    private String sourceLine(AccountConfig account) {
        ZoneId accountZone = account.zone(zone);
        return "<p class=\"source\" data-source=\"" + account.source().label() + "\">source: "
                + (account.source() == Source.ZOOM ? "Zoom API" : "systec CRC usage API")
                + (accountZone.equals(zone) ? "" : " &middot; hours in " + Html.escape(accountZone.getId())) + "</p>\n";
    }

    private static String badge(AccountSnapshot account) {
        if (!account.polled()) {
            return "<span class=\"badge pending\">first poll pending</span>";
        }
        return account.up() ? "<span class=\"badge up\">up</span>" : "<span class=\"badge down\">failing</span>";
    }

    private String ago(Optional<Instant> at, Instant now) {
        return at.map(instant -> Html.escape(LOCAL_TIME.format(instant.atZone(zone))) + " <span class=\"muted\">("
                        + Html.escape(age(instant, now)) + " ago)</span>")
                .orElse("<span class=\"muted\">never</span>");
    }

    private static String error(AccountSnapshot account, Instant now) {
        Optional<PollError> error = account.lastError();
        if (error.isEmpty()) {
            return "<span class=\"muted\">none</span>";
        }
        PollError e = error.get();
        // Not up: failing, or the first poll is still retrying; only a success after the error is a recovery.
        boolean current = !account.up();
        String since = current ? (account.polled() ? "" : ", first poll still retrying") : ", since recovered";
        return "<span class=\"" + (current ? "error" : "muted") + "\">"
                + Html.escape(e.reason().label() + ": " + e.message())
                + "</span> <span class=\"muted\">(" + Html.escape(age(e.at(), now)) + " ago" + since + ")</span>";
    }

    private static String age(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        if (seconds < 120) return seconds + "s";
        if (seconds < 7200) return seconds / 60 + "m";
        return seconds / 3600 + "h";
    }

    /** Links relative to "/" so the page also works behind a reverse proxy that adds a path prefix. */
    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
