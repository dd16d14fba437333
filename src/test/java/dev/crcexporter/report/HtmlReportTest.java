package dev.crcexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.capacity.HourSelection;
import java.io.StringWriter;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The HTML report's structure (its rendering in a browser is checked by ReportBrowserIT). */
class HtmlReportTest {
    private static String html() throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.HTML.write(SmallReports.threeAccounts(), out);
        return out.toString();
    }

    @Test
    void oneChartPerAccountWithDataAndItsLines() throws Exception {
        Document page = Jsoup.parse(html());
        assertThat(page.select("svg.capacity-chart").eachAttr("data-account")).containsExactly("hq", "branch");
        Element hq = page.selectFirst("svg.capacity-chart[data-account=hq]");
        assertThat(hq.select("rect.bar")).hasSize(23);
        assertThat(hq.select("rect.bar[data-date=2026-04-07]").attr("data-value")).isEqualTo("10");
        assertThat(hq.select("rect.bar[data-date=2026-04-07]").hasClass("full")).isTrue();
        assertThat(hq.select("line.capacity").attr("data-value")).isEqualTo("10");
        assertThat(hq.select("line.recommendation").attr("data-value")).isEqualTo("124"); // 12 months of growth
        assertThat(hq.select("line.trend")).hasSize(1);
        assertThat(page.select("svg.capacity-chart[data-account=branch] line.capacity")).isEmpty();
        assertThat(page.select("table.heat-grid").eachAttr("data-account")).containsExactly("hq", "branch");
        assertThat(page.select("table.heat-grid[data-account=hq] td[data-day=Tue][data-hour=10]").attr("data-value"))
                .isEqualTo("10");
    }

    @Test
    void theSummaryGoesFromBoughtToRecommendedAndMarksTheShortAccount() throws Exception {
        Document page = Jsoup.parse(html());
        assertThat(page.selectFirst("p.short-accounts").text())
                .isEqualTo("Short of ports for the next 12 months: hq needs"
                        + " 114 more.");
        Element hq = page.selectFirst("table.summary tr[data-account=hq]");
        assertThat(hq.hasClass("short")).isTrue();
        assertThat(hq.selectFirst("td.change").text()).isEqualTo("10 → 124 (+114)");
        assertThat(hq.selectFirst("td.change").attr("data-label")).isEqualTo("bought → recommended");
        assertThat(hq.select(".mark").text()).isEqualTo("short");
        Element branch = page.selectFirst("table.summary tr[data-account=branch]");
        assertThat(branch.hasClass("short")).as("no capacity: not known to be short").isFalse();
        assertThat(branch.selectFirst("td.change").text()).isEqualTo("– → 124");
        assertThat(page.selectFirst("section[data-account=hq]").hasClass("short")).isTrue();
        assertThat(page.selectFirst("section[data-account=hq] h2 .mark").text()).isEqualTo("short: needs 114 more");
        assertThat(page.selectFirst("section[data-account=hq] .recommendation").text()).startsWith("Recommended"
                + " for the next 12 months: 124 ports, 114 more than the 10 bought (99th percentile of 547 hourly"
                + " peaks = 8, +2.00 ports/week x 52 weeks (12 months) = 112");
    }

    @Test
    void theLegendNamesOnlyWhatTheChartDraws() throws Exception {
        Document page = Jsoup.parse(html());
        // hq: bars below 80 %, at 80 %, at capacity, a missing day, the capacity, the recommendation and the trend
        assertThat(page.select("section[data-account=hq] .legend .swatch").eachAttr("class")).containsExactly(
                "swatch bar", "swatch high", "swatch full", "swatch missing", "swatch capacity",
                "swatch recommendation", "swatch trend");
        // branch has no capacity: no levels and no capacity line to explain
        assertThat(page.select("section[data-account=branch] .legend .swatch").eachAttr("class")).containsExactly(
                "swatch bar", "swatch missing", "swatch recommendation", "swatch trend");
        assertThat(page.selectFirst("section[data-account=branch] .legend").text()).startsWith("daily peak no data");
    }

    @Test
    void aMissingDayIsMarkedMissingNotDrawnAsZero() throws Exception {
        Element hq = Jsoup.parse(html()).selectFirst("svg.capacity-chart[data-account=hq]");
        assertThat(hq.select("rect.bar[data-date=2026-04-02]")).isEmpty();
        assertThat(hq.select("rect.missing").eachAttr("data-date")).containsExactly("2026-04-02");
        assertThat(hq.select("rect.missing title").text()).isEqualTo("2026-04-02: no data");
    }

    @Test
    void censoringIsSaidOnlyForTheAccountThatReachedCapacity() throws Exception {
        Document page = Jsoup.parse(html());
        assertThat(page.select("section[data-account=hq] .note.censoring").text())
                .startsWith("Demand was cut off at capacity");
        assertThat(page.select("section[data-account=branch] .note.censoring")).isEmpty();
        assertThat(page.select("table.summary td").eachText()).contains("≥10");
    }

    @Test
    void everythingFromOutsideIsEscapedAndNothingIsLoaded() throws Exception {
        String html = html();
        Document page = Jsoup.parse(html);
        Element broken = page.selectFirst("section.account.failed[data-account=broken]");
        assertThat(broken.text()).contains("invalid \"key\", <b>see</b> the");
        assertThat(broken.select("b")).isEmpty();
        assertThat(page.select("script, link, img, iframe, object, embed, [src], [href^=http]")).isEmpty();
        assertThat(html).doesNotContain("url(").doesNotContain("@import");
        assertThat(page.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content"))
                .startsWith("default-src 'none'");
    }

    @Test
    void anAccountWithoutAnyDataIsShownAsMissingInEveryFormat() throws Exception {
        ReportOptions options = SmallReports.options(HourSelection.ALL);
        CapacityReport report = new CapacityReport(options, SmallReports.MADE,
                java.util.List.of(AccountStatistics.compute("quiet", java.util.OptionalInt.of(8), SmallDataSet.ZONE,
                        java.util.List.of(), options)));
        StringWriter html = new StringWriter();
        ReportFormat.HTML.write(report, html);
        Element chart = Jsoup.parse(html.toString()).selectFirst("svg.capacity-chart[data-account=quiet]");
        assertThat(chart.select("rect.bar")).isEmpty();
        assertThat(chart.select("rect.missing")).hasSize(24);
        assertThat(chart.select("line.recommendation, line.trend")).isEmpty();
        assertThat(Jsoup.parse(html.toString()).select("table.heat-grid td.missing")).hasSize(7 * 24);

        StringWriter text = new StringWriter();
        ReportFormat.TEXT.write(report, text);
        assertThat(text.toString()).contains("quiet: none: no hour was reported")
                .contains("Missing data: 24 days without any data").doesNotContain(" 0 ");
    }
}
