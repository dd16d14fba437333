package dev.crcexporter.report;

import dev.crcexporter.capacity.Recommendation;
import dev.crcexporter.capacity.DailyPeakChart;
import dev.crcexporter.upstream.HourUsage;
import dev.crcexporter.html.Html;
import java.io.IOException;
import java.io.Writer;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --format=html}: one self-contained file. Inline CSS and SVG only: no script, no font, no image, nothing
 * fetched (a Content-Security-Policy of {@code default-src 'none'} says so to the browser too); every text from the
 * configuration or the API is escaped. Per account: the recommendation, the notes, the daily-peak chart with the
 * capacity, recommendation and trend lines ({@link DailyPeakChart}), the figures and the weekday x hour grid.
 */
final class HtmlReport {
    private static final String STYLE = """
            :root{color-scheme:light}
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;\
            padding:1rem 1.5rem 3rem;color:#1f2328;background:#fff}
            h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:0 0 .4rem;overflow-wrap:anywhere}
            .muted{color:#57606a}a{color:#0969da}
            table.summary{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
            table.summary th,table.summary td{padding:.25rem .6rem;border-bottom:1px solid #d0d7de;text-align:right}
            table.summary th:first-child,table.summary td:first-child,table.summary td.error{text-align:left}
            .error{color:#cf222e}
            section.account{border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:1.2rem 0}
            section.account.failed{border:2px solid #cf222e;background:#fff8f8}
            .recommendation{font-size:1.05rem;margin:.3rem 0}
            .note{border-left:4px solid #d4a72c;background:#fff8c5;padding:.4rem .6rem;margin:.4rem 0;font-size:.9rem}
            .note.censoring{border-color:#cf222e;background:#ffebe9}
            svg.capacity-chart{width:100%;height:auto;display:block;margin:.4rem 0}
            .legend{font-size:.8rem;color:#57606a}
            .swatch{display:inline-block;width:.8rem;height:.5rem;vertical-align:1px;margin:0 .25rem 0 .8rem}
            dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:.2rem 1rem;font-size:.85rem}
            dl.figures div{display:flex;justify-content:space-between;gap:.5rem;border-bottom:1px dotted #d0d7de}
            dl.figures dt{color:#57606a}dl.figures dd{margin:0;text-align:right}
            """ + DailyPeakChart.STYLE + HeatGridTable.STYLE;
    private static final int CHART_WIDTH = 900;

    private HtmlReport() {}

    static void write(CapacityReport report, Writer out) throws IOException {
        ReportOptions options = report.options();
        String title = "CRC capacity report " + options.from() + " to " + options.to();
        StringBuilder html = new StringBuilder(16384 + 24576 * report.accounts().size());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(title)).append("</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"muted\">")
                .append(options.days()).append(" days, ").append(Html.escape(options.selection().describe()))
                .append(", dates and hours in each account's time zone; made ")
                .append(Html.escape(report.generatedAt().truncatedTo(ChronoUnit.SECONDS).toString()))
                .append(". Recommended ports: ").append(Html.escape(options.rule())).append(".</p>\n");
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
        html.append("<table class=\"summary\"><thead><tr><th>account</th><th>capacity</th><th>highest peak</th>")
                .append("<th>daily p95</th><th>daily p99</th><th>hours &ge;&#8239;80&#8239;%</th><th>hours at capacity</th>")
                .append("<th>trend reaches capacity</th><th>recommended</th></tr></thead><tbody>\n");
        for (AccountResult result : report.accounts()) {
            String name = Html.escape(result.account());
            html.append("<tr><td><a href=\"#account-").append(name).append("\">").append(name).append("</a></td>");
            if (result instanceof AccountReport r) {
                cells(html, r.capacity().isPresent() ? Integer.toString(r.capacity().getAsInt()) : "&ndash;",
                        r.peak().map(p -> r.demandText(p.ports())).orElse("&ndash;"),
                        r.dailyPeakP95().isPresent() ? r.demandText(r.dailyPeakP95().getAsLong()) : "&ndash;",
                        r.dailyPeakP99().isPresent() ? r.demandText(r.dailyPeakP99().getAsLong()) : "&ndash;",
                        r.nearCapacity().map(l -> Integer.toString(l.hours())).orElse("&ndash;"),
                        r.atCapacity().map(l -> Integer.toString(l.hours())).orElse("&ndash;"),
                        Html.escape(r.trend().crossing().text()),
                        r.recommendation().map(Recommendation::portsText).orElse("&ndash;"));
            } else {
                html.append("<td colspan=\"8\" class=\"error\">FAILED</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static void cells(StringBuilder html, String... values) {
        for (String value : values) {
            html.append("<td>").append(value.replace(">=", "&ge;")).append("</td>");
        }
    }

    /** Escaped text, with the "at least" of censored figures as the sign people read: 40 becomes &ge;40. */
    private static String text(String text) {
        return Html.escape(text).replace("&gt;=", "&ge;");
    }

    private static void account(StringBuilder html, AccountReport r, ReportOptions options) {
        String name = Html.escape(r.account());
        html.append("<section class=\"account\" id=\"account-").append(name).append("\" data-account=\"").append(name)
                .append("\"><h2>").append(name).append("</h2>\n<p class=\"recommendation\">Recommended: <strong>")
                .append(r.recommendation().map(rec -> rec.portsText() + " ports").orElse("none (no hour was reported)"))
                .append("</strong>");
        r.recommendation().ifPresent(rec -> html.append(" <span class=\"muted\">(").append(Html.escape(
                rec.arithmetic(options.percentile(), options.headroomPercent()))).append(")</span>"));
        html.append("</p>\n");
        note(html, "censoring", ReportNotes.censoring(r));
        note(html, "missing", ReportNotes.missing(r));
        note(html, "no-capacity", ReportNotes.noCapacity(r));
        html.append(new DailyPeakChart(CHART_WIDTH).render("capacity-chart", r.account(), r.dailyPeaks(), r.capacity(),
                r.recommendation(), Optional.of(r.trend())));
        html.append("<p class=\"legend\">Daily peak<span class=\"swatch\" style=\"background:#2f6fb0;margin-left:.3rem\"></span>")
                .append("below 80&#8239;%<span class=\"swatch\" style=\"background:#d4a72c\"></span>&ge;&#8239;80&#8239;%")
                .append("<span class=\"swatch\" style=\"background:#cf222e\"></span>at capacity (dashed red line)")
                .append("<span class=\"swatch\" style=\"background:#8250df\"></span>recommended (dotted)")
                .append("<span class=\"swatch\" style=\"background:#1a7f37\"></span>trend of weekly peaks")
                .append("<span class=\"swatch\" style=\"background:#eaeef2;border:1px dashed #8c959f\"></span>no data</p>\n");
        figures(html, r);
        HeatGridTable.render(html, r.account(), r.grid(), r.capacity());
        html.append("</section>\n");
    }

    private static void note(StringBuilder html, String kind, Optional<String> text) {
        text.ifPresent(t -> html.append("<p class=\"note ").append(kind).append("\">").append(text(t)).append("</p>\n"));
    }

    private static void figures(StringBuilder html, AccountReport r) {
        html.append("<dl class=\"figures\">");
        figure(html, "time zone", r.zone().getId());
        figure(html, "capacity", r.capacity().isPresent() ? Integer.toString(r.capacity().getAsInt()) : "not configured");
        figure(html, "days with data", r.coverage().daysWithData() + " of " + r.coverage().days());
        figure(html, "hours with data", r.coverage().hoursReported() + " of " + r.coverage().hoursExpected());
        figure(html, "highest peak", r.peak().map(p -> r.demandText(p.ports()) + " on " + p.date() + " at "
                + HourUsage.label(p.hour()) + ":00" + (r.hoursAtPeak() > 1 ? " (" + r.hoursAtPeak() + " hours)" : "")).orElse("-"));
        figure(html, "daily peak p95", r.dailyPeakP95().isPresent() ? r.demandText(r.dailyPeakP95().getAsLong()) : "-");
        figure(html, "daily peak p99", r.dailyPeakP99().isPresent() ? r.demandText(r.dailyPeakP99().getAsLong()) : "-");
        r.nearCapacity().ifPresent(l -> figure(html, "hours at 80 % or more", l.hours() + " on " + ReportNotes.plural(l.dates().size(), "day")));
        r.atCapacity().ifPresent(l -> figure(html, "hours at capacity", l.hours() + " on " + ReportNotes.plural(l.dates().size(), "day")));
        figure(html, "trend", r.trend().slope().isPresent() ? String.format(Locale.ROOT, "%+.2f ports/week over %d weeks",
                r.trend().slope().getAsDouble(), r.trend().weeksFitted()) : "-");
        figure(html, "trend reaches capacity", r.trend().crossing().text());
        html.append("</dl>\n");
        r.atCapacity().filter(l -> !l.dates().isEmpty()).ifPresent(l -> html.append("<p class=\"muted\">Days at capacity: ")
                .append(Html.escape(ReportNotes.dates(l.dates()))).append("</p>\n"));
    }

    private static void figure(StringBuilder html, String label, String value) {
        html.append("<div><dt>").append(Html.escape(label)).append("</dt><dd>").append(text(value)).append("</dd></div>");
    }
}
