package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.Chromium;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landing page in a real browser: an exporter (in-process) polls a fake API with three accounts (one with a
 * capacity, one without, one failing) and a fake Zoom with a fourth; headless Chromium renders {@code /} to a
 * screenshot and to its DOM, whose charts must match the data.
 */
class LandingPageBrowserIT {
    /** 10:30 in Shanghai on 2026-11-26: today's hours 00..10 have begun. */
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    /** Kept in target/ (not in git) so that a human can look at it after the build. */
    private static final Path SCREENSHOT = Path.of("target", "landing-page.png");

    @TempDir
    Path tmp;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();
    private Exporter exporter;

    @BeforeEach
    void start() throws IOException {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi())
                .account("key-hq", "s-hq", List.of(day("2026-11-25", 0, 23, "hq"), day("2026-11-26", 0, 23, "hq")))
                .account("key-branch", "s-branch", List.of(day("2026-11-26", 0, 23, "branch"),
                        day("2026-11-25", 8, 17, "branch"), day("2026-11-24", 0, 23, "branch")));
        upstream.behave(request -> "key-broken".equals(request.params().get("api_key"))
                ? Response.json(ApiAnswers.error(401, "invalid api_key <b>broken</b>"))
                : upstream.documentedAnswer(request));
        FakeZoomApi zoom = fixture.closeLater(new FakeZoomApi(Clock.fixed(NOW, ZoneOffset.UTC)))
                .account("acct-emea", "client-emea", "s-emea",
                        List.of(day("2026-11-25", 0, 23, "emea"), day("2026-11-26", 0, 23, "emea")));
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                Duration.ofHours(1), Duration.ofSeconds(2), 4,
                new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(200)),
                List.of(new AccountConfig("hq", "key-hq", new Secret("s-hq"), OptionalInt.of(40)),
                        new AccountConfig("branch", "key-branch", new Secret("s-branch"), OptionalInt.empty()),
                        new AccountConfig("broken", "key-broken", new Secret("s-broken"), OptionalInt.of(10)),
                        new AccountConfig("emea",
                                new Credentials.Zoom("acct-emea", "client-emea", new Secret("s-emea")),
                                OptionalInt.of(16), Optional.empty())),
                zoom.urls());
        exporter = fixture.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.awaitReady(exporter, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() throws Exception {
        try (fixture) {
            processes.close();
        }
    }

    /** The hour's max_usage of an account: a day curve peaking at 10:00 (hq reaches 44 on the 25th, over capacity). */
    static long usage(String account, LocalDate date, int hour) {
        long peak = account.equals("hq") ? (date.getDayOfMonth() == 25 ? 44 : 30) : 7;
        return Math.max(0, peak - Math.abs(hour - 10) * 3L);
    }

    private static DailyUsage day(String date, int firstHour, int lastHour, String account) {
        LocalDate day = LocalDate.parse(date);
        List<HourUsage> hours = new ArrayList<>();
        for (int h = firstHour; h <= lastHour; h++) {
            hours.add(new HourUsage(h, usage(account, day, h), 1));
        }
        return new DailyUsage(day, hours);
    }

    /** Runs headless Chromium with its own profile in the temp dir; returns its standard output. */
    private String chromium(String... args) throws IOException, InterruptedException {
        return new Chromium(processes, tmp).run(args);
    }

    private String url() {
        return "http://127.0.0.1:" + exporter.port() + "/";
    }

    @Test
    void chartsInTheRenderedPageMatchTheData() throws Exception {
        Document page = Jsoup.parse(chromium("--dump-dom", url()));

        // one chart per account, worst first: hq was at capacity yesterday, broken fails, then the rest by name
        Elements charts = page.select("svg.usage-chart");
        assertThat(charts.eachAttr("data-account")).containsExactly("hq", "broken", "branch", "emea");

        // bars: yesterday's 24 hours and today's 00..10 for hq; what the API reported for branch
        assertThat(bars(page, "hq")).isEqualTo(expectedBars("hq", 0, 23));
        assertThat(bars(page, "branch")).isEqualTo(expectedBars("branch", 8, 17));
        assertThat(page.select("svg.usage-chart[data-account=broken] rect.bar")).isEmpty();
        // the Zoom account's chart like any other, and its card says where the numbers come from
        assertThat(bars(page, "emea")).isEqualTo(expectedBars("emea", 0, 23));
        assertThat(page.selectFirst("section.card[data-account=emea] .source").attr("data-source")).isEqualTo("zoom");
        assertThat(page.selectFirst("section.card[data-account=emea] .source").text()).isEqualTo("source: Zoom API");
        assertThat(page.selectFirst("section.card[data-account=hq] .source").attr("data-source")).isEqualTo("systec");

        // capacity where configured, with a value; none for branch
        assertThat(page.select("svg.usage-chart[data-account=hq] line.capacity").eachAttr("data-value"))
                .containsExactly("40");
        assertThat(page.select("svg.usage-chart[data-account=branch] line.capacity")).isEmpty();
        assertThat(page.select("svg.usage-chart[data-account=broken] line.capacity").eachAttr("data-value"))
                .containsExactly("10");
        // the capacity line lies above the 30-port bar and below the 44-port one (same scale)
        Element line = page.selectFirst("svg.usage-chart[data-account=hq] line.capacity");
        double capacityY = Double.parseDouble(line.attr("y1"));
        assertThat(barTop(page, "hq", "2026-11-26", "10")).isGreaterThan(capacityY);
        assertThat(barTop(page, "hq", "2026-11-25", "10")).isLessThan(capacityY);

        // current usage and utilisation: hq at 30 of 40 at 10:00
        Element hq = page.selectFirst("section.card[data-account=hq]");
        assertThat(hq.selectFirst(".now .figure.now").text()).isEqualTo("30 in use now (10:00 h), 75\u202f% of 40");
        assertThat(page.selectFirst("section.card[data-account=branch] p.headline").text())
                .contains("no capacity configured");

        // the failing account is highlighted and shows its (escaped) error; the others are up
        Element broken = page.selectFirst("section.card[data-account=broken]");
        assertThat(broken.classNames()).contains("failing");
        assertThat(broken.select(".badge").text()).isEqualTo("failing");
        assertThat(broken.text()).contains("api_status: API status 401: invalid api_key <b>broken</b>");
        assertThat(broken.select("b")).isEmpty();
        assertThat(hq.classNames()).doesNotContain("failing");
        assertThat(hq.select(".badge").text()).isEqualTo("up");
        assertThat(page.select(".status").text()).contains("4 accounts: 3 up, 1 failing (broken)");

        // relative links; nothing is loaded from anywhere
        assertThat(page.select("nav a").eachAttr("href")).containsExactly("metrics", "-/healthy", "-/ready");
        assertThat(page.select("script, link, img, iframe, object, embed")).isEmpty();
        assertThat(page.select("[src]")).isEmpty();
    }

    @Test
    void screenshotOfTheLandingPage() throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);

        chromium("--window-size=1366,900", "--screenshot=" + SCREENSHOT.toAbsolutePath(), url());

        assertThat(SCREENSHOT).exists();
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertThat(image.getWidth()).isEqualTo(1366);
        assertThat(image.getHeight()).isEqualTo(900);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in the screenshot").hasSizeGreaterThan(20);
        System.out.println("LandingPageBrowserIT: screenshot " + SCREENSHOT.toAbsolutePath() + " ("
                + Files.size(SCREENSHOT) + " bytes)");
    }

    /** "date hour" -> data-value of the account's bars, in page order. */
    private static Map<String, String> bars(Document page, String account) {
        Map<String, String> bars = new LinkedHashMap<>();
        for (Element bar : page.select("svg.usage-chart[data-account=" + account + "] rect.bar")) {
            String previous = bars.put(bar.attr("data-date") + " " + bar.attr("data-hour"), bar.attr("data-value"));
            assertThat(previous).as("one bar per hour").isNull();
        }
        return bars;
    }

    /** Yesterday's hours firstHour..lastHour and today's 00..10. */
    private static Map<String, String> expectedBars(String account, int firstHour, int lastHour) {
        Map<String, String> bars = new LinkedHashMap<>();
        LocalDate yesterday = LocalDate.of(2026, 11, 25);
        LocalDate today = LocalDate.of(2026, 11, 26);
        for (int h = firstHour; h <= lastHour; h++) {
            bars.put(yesterday + " " + String.format("%02d", h), Long.toString(usage(account, yesterday, h)));
        }
        for (int h = 0; h <= 10; h++) {
            bars.put(today + " " + String.format("%02d", h), Long.toString(usage(account, today, h)));
        }
        return bars;
    }

    private static double barTop(Document page, String account, String date, String hour) {
        Element bar = page.selectFirst("svg.usage-chart[data-account=" + account + "] rect.bar[data-date=" + date
                + "][data-hour=" + hour + "]");
        assertThat(bar).as("bar %s %s of %s", date, hour, account).isNotNull();
        return Double.parseDouble(bar.attr("y"));
    }
}
