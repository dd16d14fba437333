package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.report.SmallDataSet;
import dev.crcexporter.testing.Chromium;
import dev.crcexporter.testing.ChromiumPage;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The HTML report, made by the real command from the fake upstream, opened from disk by headless Chromium: its
 * rendered DOM has one chart per account with data and loads nothing; a screenshot is kept for people.
 */
class ReportBrowserIT {
    /** Kept in target/ (not in git) so that a human can look at it after the build. */
    private static final Path SCREENSHOT = Path.of("target", "capacity-report.png");
    private static final Path PRINTED = Path.of("target", "capacity-report.pdf");

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();
    private FakeCrcApi upstream;
    private Path html;

    @BeforeEach
    void makeTheReport() throws Exception {
        upstream = new FakeCrcApi().account("key-hq", "s-hq", SmallDataSet.days())
                .account("key-branch", "s-br", SmallDataSet.days());
        upstream.behave(request -> request.apiKey().equals("key-broken")
                ? Response.json(ApiAnswers.error(401, "invalid <img src=x onerror=alert(1)> key"))
                : upstream.documentedAnswer(request));
        Path config = tmp.resolve("config.yml");
        Files.writeString(config, "api_url: " + upstream.url()
                + "\ntimezone: Europe/Berlin\nretry: {max_attempts: 1}\naccounts:\n"
                + "  - {name: hq, api_key: key-hq, api_secret: s-hq, capacity: 10}\n"
                + "  - {name: branch, api_key: key-branch, api_secret: s-br}\n"
                + "  - {name: broken, api_key: key-broken, api_secret: s-bk, capacity: 4}\n");
        html = tmp.resolve("report.html");
        CommandLine cli = CrcExporterCommand.commandLine(Map.of(),
                Clock.fixed(Instant.parse("2026-04-20T10:00:00Z"), ZoneOffset.UTC));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        // today's demand (no horizon): the recommendation of AccountStatisticsTest, 9 ports
        int status = cli.execute("report", "--config.file=" + config, "--from=2026-03-21", "--to=2026-04-13",
                "--format=html", "--horizon=0", "--output=" + html);
        assertThat(status).as("stderr: %s", err).isEqualTo(1); // broken failed
    }

    @AfterEach
    void stop() {
        upstream.close();
        processes.close();
    }

    @Test
    void renderedReportHasOneChartPerAccountAndLoadsNothing() throws Exception {
        Document page = Jsoup.parse(new Chromium(processes, tmp).run("--dump-dom", html.toUri().toString()));

        assertThat(page.select("svg.capacity-chart").eachAttr("data-account")).containsExactly("hq", "branch");
        Element hq = page.selectFirst("svg.capacity-chart[data-account=hq]");
        assertThat(hq.select("rect.bar")).hasSize(23);
        assertThat(hq.select("rect.missing").eachAttr("data-date")).containsExactly("2026-04-02");
        assertThat(hq.select("line.capacity").attr("data-value")).isEqualTo("10");
        assertThat(hq.select("line.recommendation").attr("data-value")).isEqualTo("9");
        assertThat(hq.select("line.trend")).hasSize(1);
        // the 10-port bar reaches the capacity line; the 2-port bar of the first day stays far below it
        double capacityY = Double.parseDouble(hq.selectFirst("line.capacity").attr("y1"));
        assertThat(Double.parseDouble(hq.selectFirst("rect.bar[data-date=2026-04-07]").attr("y"))).isEqualTo(capacityY);
        assertThat(Double.parseDouble(hq.selectFirst("rect.bar[data-date=2026-03-21]").attr("y")))
                .isGreaterThan(capacityY + 50);
        assertThat(page.select("table.heat-grid")).hasSize(2);
        assertThat(page.select("section[data-account=hq] .note.censoring")).hasSize(1);

        // the failing account's message is text, not markup; nothing is loaded from anywhere
        Element broken = page.selectFirst("section.failed[data-account=broken]");
        assertThat(broken.text()).contains("invalid <img src=x onerror=alert(1)> key");
        assertThat(page.select("script, link, img, iframe, object, embed, [src]")).isEmpty();
        assertThat(page.select("[href]").eachAttr("href")).allMatch(href -> href.startsWith("#account-"));
    }

    @Test
    void onAPhoneEveryFigureOfTheSummaryIsShownAndNothingScrollsSideways() throws Exception {
        try (ChromiumPage phone = ChromiumPage.open(processes, tmp, 360, 800, true)) {
            phone.load(html.toUri().toString());
            ChromiumPage.Layout layout = phone.layout(10);
            assertThat(layout.scrollWidth()).as("page width at 360 px").isEqualTo(360);
            assertThat(layout.small()).as("texts rendered under 10 px").isEmpty();
            // the summary table becomes one block per account: each of hq's nine figures inside the screen, named
            JsonNode cells = phone.evaluate("""
                    [...document.querySelectorAll('table.summary tr[data-account=hq] td')].map(td => {
                      const box = td.getBoundingClientRect();
                      return {label: getComputedStyle(td, '::before').content, left: box.left, right: box.right};
                    })""");
            assertThat(cells).hasSize(9);
            assertThat(cells).allSatisfy(cell -> {
                assertThat(cell.path("left").asDouble()).isGreaterThanOrEqualTo(0);
                assertThat(cell.path("right").asDouble()).isLessThanOrEqualTo(360);
            });
            assertThat(cells.get(8).path("label").asText()).isEqualTo("\"bought → recommended\"");
        }
    }

    @Test
    void printedOnA4TheChartsAreNeverCutAcrossPages() throws Exception {
        try (ChromiumPage print = ChromiumPage.open(processes, tmp, 1200, 900, false)) {
            print.emulateMedia("print");
            print.load(html.toUri().toString());
            JsonNode printed = print.evaluate("""
                    (() => {
                      const pages = [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
                          .filter(rule => rule instanceof CSSPageRule).map(rule => rule.style.getPropertyValue('size'));
                      const breaks = [...document.querySelectorAll('.chart, table.heat-grid, .note, dl.figures')]
                          .map(e => getComputedStyle(e).breakInside);
                      return {pages, breaks, charts: document.querySelectorAll('.chart svg').length};
                    })()""");
            assertThat(printed.path("pages").get(0).asText()).isEqualToIgnoringCase("A4");
            assertThat(printed.path("charts").asInt()).isEqualTo(2);
            assertThat(printed.path("breaks")).hasSizeGreaterThan(6).allSatisfy(b -> assertThat(b.asText())
                    .isEqualTo("avoid"));
            // A4 less the page's margins (210 - 2 x 12 mm, 703 CSS pixels) holds the whole width
            print.viewport(703, 1000, false);
            assertThat(print.layout(0).scrollWidth()).isLessThanOrEqualTo(703);

            byte[] pdf = print.printToPdf();
            String text = new String(pdf, StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("%PDF-");
            // A4 is 595 x 842 points; Chromium writes each page's MediaBox in the clear
            Matcher box = Pattern.compile("/MediaBox \\[0 0 (\\d+(?:\\.\\d+)?) (\\d+(?:\\.\\d+)?)]").matcher(text);
            assertThat(box.find()).as("a MediaBox").isTrue();
            assertThat(Double.parseDouble(box.group(1))).isCloseTo(595.3, within(1.0));
            assertThat(Double.parseDouble(box.group(2))).isCloseTo(841.9, within(1.0));
            Files.write(PRINTED, pdf);
        }
    }

    @Test
    void screenshotOfTheReport() throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);

        new Chromium(processes, tmp).run("--window-size=1200,1800", "--screenshot=" + SCREENSHOT.toAbsolutePath(),
                html.toUri().toString());

        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 5) {
            for (int x = 0; x < image.getWidth(); x += 5) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in the screenshot").hasSizeGreaterThan(20);
        System.out.println("ReportBrowserIT: screenshot " + SCREENSHOT.toAbsolutePath() + " ("
                + Files.size(SCREENSHOT) + " bytes)");
    }
}
