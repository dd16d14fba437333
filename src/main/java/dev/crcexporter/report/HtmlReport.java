package dev.crcexporter.report;

import dev.crcexporter.capacity.DailyPeakChart;
import dev.crcexporter.capacity.Recommendation;
import dev.crcexporter.html.Html;
import dev.crcexporter.report.CapacityReport.AccountResult;
import dev.crcexporter.report.CapacityReport.FailedAccount;
import dev.crcexporter.upstream.HourUsage;
import java.io.IOException;
import java.io.Writer;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --format=html}: one self-contained file. Inline CSS and SVG only: no script, no font, no image, nothing
 * fetched (a Content-Security-Policy of {@code default-src 'none'} says so to the browser too); every text from the
 * configuration or the API is escaped. Per account: the recommendation, the notes, the daily-peak chart with the
 * capacity, recommendation and trend lines ({@link DailyPeakChart}), the figures and the weekday x hour grid.
 *
 * <p>It prints on A4 (charts, the grid and the notes are never cut across two pages) and reads on a phone: below
 * 640 pixels the summary table turns into one block per account, each figure named, and the page never scrolls
 * sideways (the weekday x hour grid scrolls within its own box).
 */
final class HtmlReport {
    private static final String STYLE = """
            :root{color-scheme:light}
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;\
            padding:1rem 1.5rem 3rem;color:#1f2328;background:#fff}
            h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:0 0 .4rem;overflow-wrap:anywhere}
            .muted{color:#57606a}a{color:#0969da}
            .short-accounts{font-size:1.05rem;font-weight:600}.short-accounts.none{font-weight:400}
            table.summary{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
            table.summary th,table.summary td{padding:.25rem .6rem;border-bottom:1px solid #d0d7de;text-align:right}
            table.summary th:first-child,table.summary td:first-child,table.summary td.error{text-align:left}
            table.summary tr.short td.change{color:#cf222e;font-weight:600}
            .mark{font-size:.75rem;font-weight:600;border-radius:1rem;padding:.05rem .5rem;white-space:nowrap;\
            background:#cf222e;color:#fff;margin-left:.4rem;vertical-align:1px}
            .error{color:#cf222e}
            section.account{border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:1.2rem 0}
            section.account.short{border-left:6px solid #cf222e}
            section.account.failed{border:2px solid #cf222e;background:#fff8f8}
            .recommendation{font-size:1.05rem;margin:.3rem 0}
            .note{border-left:4px solid #d4a72c;background:#fff8c5;padding:.4rem .6rem;margin:.4rem 0;font-size:.9rem}
            .note.censoring{border-color:#cf222e;background:#ffebe9}
            .chart{margin:.4rem 0}
            .grid-box{overflow-x:auto}
            dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));\
            gap:.2rem 1rem;font-size:.85rem}
            dl.figures div{display:flex;justify-content:space-between;gap:.5rem;border-bottom:1px dotted #d0d7de}
            dl.figures dt{color:#57606a}dl.figures dd{margin:0;text-align:right}
            @media (max-width:640px){
            body{padding:.8rem .75rem 2rem}
            table.summary,table.summary tbody,table.summary tr,table.summary td{display:block;width:auto}
            table.summary thead{display:none}
            table.summary tr{border:1px solid #d0d7de;border-radius:6px;margin:0 0 .6rem;padding:.2rem .5rem}
            table.summary tr.short{border-left:5px solid #cf222e}
            table.summary td{display:flex;justify-content:space-between;gap:1rem;text-align:right;padding:.15rem 0;\
            border-bottom:1px dotted #d0d7de}
            table.summary td::before{content:attr(data-label);color:#57606a;text-align:left}
            table.summary td:last-child{border-bottom:0}
            table.heat-grid{min-width:600px}
            section.account{padding:.7rem}
            }
            @page{size:A4;margin:14mm 12mm}
            @media print{
            body{max-width:none;padding:0;font-size:10pt;print-color-adjust:exact;-webkit-print-color-adjust:exact}
            a{color:inherit;text-decoration:none}
            table.summary{font-size:8.5pt}table.summary th,table.summary td{padding:.15rem .3rem}
            section.account{border:0;border-top:1px solid #8c959f;border-radius:0;padding:.4rem 0 0;margin:.8rem 0 0}
            section.account.short{border-left:0;border-top:3px solid #cf222e}
            h2,.recommendation{break-after:avoid}
            .chart,table.heat-grid,.note,dl.figures,table.summary tr{break-inside:avoid}
            .grid-box{overflow:visible}
            }
            """ + DailyPeakChart.STYLE + HeatGridTable.STYLE;
    private static final int CHART_HEIGHT = 200;
    private static final List<String> HEADINGS = List.of("account", "capacity", "highest peak", "daily p95",
            "daily p99", "hours &ge;&#8239;80&#8239;%", "hours at capacity", "reaches capacity",
            "bought &rarr; recommended");
    /** The same headings as plain text, for the data-label of each cell in the phone layout. */
    private static final List<String> LABELS = List.of("account", "capacity", "highest peak", "daily p95", "daily p99",
            "hours ≥ 80 %", "hours at capacity", "reaches capacity", "bought → recommended");

    private HtmlReport() {}

    static void write(CapacityReport report, Writer out) throws IOException {
        ReportOptions options = report.options();
        String title = "CRC capacity report " + options.from() + " to " + options.to();
        StringBuilder html = new StringBuilder(16384 + 24576 * report.accounts().size());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\""
                        + " content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(title)).append("</title><style>").append(STYLE)
                .append("</style></head><body>\n")
                .append("<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"muted\">")
                .append(options.days()).append(" days, ").append(Html.escape(options.selection().describe()))
                .append(", dates and hours in each account's time zone; made ")
                .append(Html.escape(report.generatedAt().truncatedTo(ChronoUnit.SECONDS).toString()))
                .append(". Recommended ports, ").append(Html.escape(ReportNotes.window(options))).append(": ")
                .append(Html.escape(options.rule().text())).append(".</p>\n");
        boolean anyShort = report.accounts().stream().anyMatch(a -> a instanceof AccountReport r && r.isShort());
        html.append("<p class=\"short-accounts").append(anyShort ? "" : " none").append("\">")
                .append(Html.escape(ReportNotes.shortAccounts(report))).append("</p>\n");
        summary(html, report);
        for (AccountResult result : report.accounts()) {
            if (result instanceof AccountReport figures) {
                account(html, figures, options);
            } else if (result instanceof FailedAccount failed) {
                html.append("<section class=\"account failed\" id=\"account-").append(Html.escape(failed.account()))
                        .append("\" data-account=\"").append(Html.escape(failed.account())).append("\"><h2>")
                        .append(Html.escape(failed.account())).append("</h2><p class=\"error\">FAILED, skipped: ")
                        .append(Html.escape(failed.error())).append("</p></section>\n");
            }
        }
        html.append("</body></html>\n");
        out.write(html.toString());
        out.flush();
    }

    private static void summary(StringBuilder html, CapacityReport report) {
        html.append("<table class=\"summary\"><thead><tr>");
        HEADINGS.forEach(heading -> html.append("<th>").append(heading).append("</th>"));
        html.append("</tr></thead><tbody>\n");
        for (AccountResult result : report.accounts()) {
            String name = Html.escape(result.account());
            boolean isShort = result instanceof AccountReport r && r.isShort();
            html.append("<tr data-account=\"").append(name).append('"').append(isShort ? " class=\"short\"" : "")
                    .append("><td data-label=\"account\"><a href=\"#account-").append(name).append("\">").append(name)
                    .append("</a>").append(isShort ? "<span class=\"mark\">short</span>" : "").append("</td>");
            if (result instanceof AccountReport r) {
                cells(html, r.capacity().isPresent() ? Integer.toString(r.capacity().getAsInt()) : "&ndash;",
                        r.peak().map(p -> r.demandText(p.ports())).orElse("&ndash;"),
                        r.dailyPeakP95().isPresent() ? r.demandText(r.dailyPeakP95().getAsLong()) : "&ndash;",
                        r.dailyPeakP99().isPresent() ? r.demandText(r.dailyPeakP99().getAsLong()) : "&ndash;",
                        r.nearCapacity().map(l -> Integer.toString(l.hours())).orElse("&ndash;"),
                        r.atCapacity().map(l -> Integer.toString(l.hours())).orElse("&ndash;"),
                        Html.escape(r.trend().crossing().text()), boughtToRecommended(r));
            } else {
                html.append("<td colspan=\"8\" class=\"error\" data-label=\"status\">FAILED</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    /** "40 &rarr; 59 (+19)", "&ndash; &rarr; 13" without a capacity. */
    private static String boughtToRecommended(AccountReport r) {
        if (r.recommendation().isEmpty()) {
            return "&ndash;";
        }
        String recommended = (r.recommendation().get().lowerBound() ? "&ge;" : "") + r.recommendation().get().ports();
        if (r.capacity().isEmpty()) {
            return "&ndash; &rarr; " + recommended;
        }
        return r.capacity().getAsInt() + " &rarr; " + recommended + " ("
                + ReportNotes.signed(r.recommendedChange().getAsLong()) + ")";
    }

    private static void cells(StringBuilder html, String... values) {
        for (int i = 0; i < values.length; i++) {
            html.append("<td data-label=\"").append(Html.escape(LABELS.get(i + 1))).append('"')
                    .append(i == values.length - 1 ? " class=\"change\"" : "").append('>')
                    .append(values[i].replace(">=", "&ge;")).append("</td>");
        }
    }

    /** Escaped text, with the "at least" of censored figures as the sign people read: 40 becomes &ge;40. */
    private static String text(String text) {
        return Html.escape(text).replace("&gt;=", "&ge;");
    }

    private static void account(StringBuilder html, AccountReport r, ReportOptions options) {
        String name = Html.escape(r.account());
        html.append("<section class=\"account").append(r.isShort() ? " short" : "").append("\" id=\"account-")
                .append(name).append("\" data-account=\"").append(name).append("\"><h2>").append(name)
                .append(r.isShort() ? "<span class=\"mark\">short: needs " + r.recommendedChange().getAsLong()
                        + " more</span>" : "")
                .append("</h2>\n<p class=\"recommendation\">Recommended ")
                .append(Html.escape(ReportNotes.horizon(options)))
                .append(": <strong>").append(r.recommendation().map(rec -> rec.portsText() + " ports")
                        .orElse("none (no hour was reported)")).append("</strong>");
        r.recommendation().ifPresent(rec -> html.append(Html.escape(bought(r, rec))).append(" <span class=\"muted\">(")
                .append(Html.escape(rec.arithmetic())).append(")</span>"));
        html.append("</p>\n");
        note(html, "censoring", ReportNotes.censoring(r));
        note(html, "missing", ReportNotes.missing(r));
        note(html, "no-capacity", ReportNotes.noCapacity(r));
        html.append("<div class=\"chart\">").append(new DailyPeakChart(CHART_HEIGHT).render("capacity-chart",
                r.account(), r.dailyPeaks(), r.capacity(), r.recommendation(), Optional.of(r.trend())))
                .append("</div>\n");
        figures(html, r);
        html.append("<div class=\"grid-box\">");
        HeatGridTable.render(html, r.account(), r.grid(), r.capacity());
        html.append("</div>\n</section>\n");
    }

    /** ": 19 more than the 40 bought", ": 5 fewer than the 10 bought", ": the 40 bought", "" without a capacity. */
    private static String bought(AccountReport r, Recommendation recommendation) {
        if (r.capacity().isEmpty()) {
            return "";
        }
        long change = recommendation.change(r.capacity()).getAsLong();
        int capacity = r.capacity().getAsInt();
        return change > 0 ? ", " + change + " more than the " + capacity + " bought"
                : change < 0 ? ", " + -change + " fewer than the " + capacity + " bought"
                : ", the " + capacity + " bought";
    }

    private static void note(StringBuilder html, String kind, Optional<String> text) {
        text.ifPresent(t -> html.append("<p class=\"note ").append(kind).append("\">").append(text(t))
                .append("</p>\n"));
    }

    private static void figures(StringBuilder html, AccountReport r) {
        html.append("<dl class=\"figures\">");
        figure(html, "time zone", r.zone().getId());
        figure(html, "capacity",
                r.capacity().isPresent() ? Integer.toString(r.capacity().getAsInt()) : "not configured");
        figure(html, "days with data", r.coverage().daysWithData() + " of " + r.coverage().days());
        figure(html, "hours with data", r.coverage().hoursReported() + " of " + r.coverage().hoursExpected());
        figure(html, "highest peak", r.peak().map(p -> r.demandText(p.ports()) + " on " + p.date() + " at "
                + HourUsage.label(p.hour()) + ":00" + (r.hoursAtPeak() > 1 ? " (" + r.hoursAtPeak() + " hours)" : ""))
                .orElse("-"));
        figure(html, "daily peak p95", r.dailyPeakP95().isPresent() ? r.demandText(r.dailyPeakP95().getAsLong()) : "-");
        figure(html, "daily peak p99", r.dailyPeakP99().isPresent() ? r.demandText(r.dailyPeakP99().getAsLong()) : "-");
        r.nearCapacity().ifPresent(l -> figure(html, "hours at 80 % or more",
                l.hours() + " on " + ReportNotes.plural(l.dates().size(), "day")));
        r.atCapacity().ifPresent(l -> figure(html, "hours at capacity",
                l.hours() + " on " + ReportNotes.plural(l.dates().size(), "day")));
        figure(html, "trend", r.trend().slope().isPresent()
                ? String.format(Locale.ROOT, "%+.2f ports/week over %d weeks",
                        r.trend().slope().getAsDouble(), r.trend().weeksFitted()) : "-");
        figure(html, "trend reaches capacity", r.trend().crossing().text());
        html.append("</dl>\n");
        r.atCapacity().filter(l -> !l.dates().isEmpty())
                .ifPresent(l -> html.append("<p class=\"muted\">Days at capacity: ")
                        .append(Html.escape(ReportNotes.dates(l.dates()))).append("</p>\n"));
    }

    private static void figure(StringBuilder html, String label, String value) {
        html.append("<div><dt>").append(Html.escape(label)).append("</dt><dd>").append(text(value))
                .append("</dd></div>");
    }
}
