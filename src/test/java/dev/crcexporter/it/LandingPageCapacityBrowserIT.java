package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.testing.ChromiumPage;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landing page leads with "which account is running out, and how many ports to buy", seen in headless Chromium
 * (driven over the DevTools protocol: a phone's width, measured by a script run in the page). Three accounts,
 * configured in the order quiet, busy, at capacity, all with 40 ports: quiet peaks at 10 a day; busy at 30, and at
 * 34 (85 %) on 2026-11-18; the one at capacity (its name long, as names can be) at 30, and at 40 on five days, the
 * last of them yesterday. The 29 days before today come from a history request, held back until a test lets it
 * through: before that only yesterday and today are known.
 */
class LandingPageCapacityBrowserIT {
    /** 10:30 in Shanghai on 2026-11-26: today's hours 00..10 have begun. */
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
    /** Named so that neither the configured nor the alphabetical order is the order of risk. */
    private static final String QUIET = "a-quiet";
    private static final String BUSY = "b-busy";
    private static final String FULL = "c-at-capacity-headquarters-with-a-long-name";
    private static final Set<LocalDate> FULL_DAYS = Set.of(LocalDate.of(2026, 11, 10), LocalDate.of(2026, 11, 13),
            LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 25));
    @TempDir
    Path tmp;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();
    private final CountDownLatch history = new CountDownLatch(1);
    private Exporter exporter;

    @BeforeEach
    void start() throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi())
                .account("key-quiet", "s-quiet", days(date -> 10))
                .account("key-busy", "s-busy", days(date -> date.equals(LocalDate.of(2026, 11, 18)) ? 34 : 30))
                .account("key-full", "s-full", days(date -> FULL_DAYS.contains(date) ? 40 : 30));
        upstream.behave(request -> {
            if (isHistory(request)) {
                try {
                    history.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return upstream.documentedAnswer(request);
        });
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                Duration.ofHours(1), Duration.ofSeconds(5), 4,
                new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(200)),
                List.of(new AccountConfig(QUIET, "key-quiet", new Secret("s-quiet"), OptionalInt.of(40)),
                        new AccountConfig(BUSY, "key-busy", new Secret("s-busy"), OptionalInt.of(40)),
                        new AccountConfig(FULL, "key-full", new Secret("s-full"), OptionalInt.of(40))),
                ZoomConfig.DEFAULT);
        exporter = fixture.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.awaitReady(exporter, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() throws Exception {
        history.countDown();
        try (fixture) {
            processes.close();
        }
    }

    private interface Peak {
        int of(LocalDate date);
    }

    /** 40 days up to today, each peaking at 10:00. */
    private static List<DailyUsage> days(Peak peak) {
        List<DailyUsage> days = new ArrayList<>();
        for (LocalDate d = TODAY.minusDays(40); !d.isAfter(TODAY); d = d.plusDays(1)) {
            days.add(Days.peakingAtTen(d.toString(), peak.of(d)));
        }
        return days;
    }

    /** A history request spans 29 days; a poll spans 2. */
    private static boolean isHistory(FakeCrcApi.Request request) {
        return LocalDate.parse(request.params().get("to")).toEpochDay()
                - LocalDate.parse(request.params().get("from")).toEpochDay() == 29;
    }

    private String url() {
        return "http://127.0.0.1:" + exporter.port() + "/";
    }

    /** Lets the history through and views the page until every account's month is in. */
    private void monthLoaded() {
        history.countDown();
        Poll.until(Duration.ofSeconds(20), Duration.ofMillis(50), "the month of every account",
                () -> Jsoup.parse(fixture.get(exporter, "/").body()),
                page -> page.select("p.recommendation[data-ports]").size() == 3, () -> "");
    }

    /** The page as Chromium renders it at {@code width} x {@code height} ({@code mobile}: as a phone). */
    private ChromiumPage open(int width, int height, boolean mobile) throws IOException {
        ChromiumPage page = ChromiumPage.open(processes, tmp, width, height, mobile);
        page.load(url());
        return page;
    }

    private static Document dom(ChromiumPage page) {
        return Jsoup.parse(page.evaluate("document.documentElement.outerHTML").asText());
    }

    @Test
    void theAccountAtCapacityComesFirstAndTheSummaryCountsIt() throws Exception {
        monthLoaded();
        Document page;
        try (ChromiumPage chromium = open(1280, 900, false)) {
            page = dom(chromium);
        }

        assertThat(page.select("section.card").eachAttr("data-account")).containsExactly(FULL, BUSY, QUIET);
        assertThat(page.select("section.card").eachAttr("data-risk")).containsExactly("at-capacity", "near-capacity",
                "other");
        // 5 of its days at 40: the 99th percentile of its 707 hours (29 days and today's 11) is the 8th highest, 37
        // (40 x5, 37 x3 of 10); + 10 % = 40.7 -> 41, one more than it has
        assertThat(page.selectFirst("p.summary").text())
                .isEqualTo("1 of 3 accounts reached capacity in the last 30 days,"
                        + " 1 more reached 80\u202f%; 1 needs more ports.");
        Element full = page.selectFirst("section.card[data-account=" + FULL + "]");
        assertThat(full.selectFirst("p.headline").text())
                .isEqualTo("Last 30 days: highest daily peak 40 of 40 purchased"
                        + " · at capacity on 5 days · ≥\u202f80\u202f% on 5 days");
        assertThat(full.selectFirst("p.headline").hasClass("full")).isTrue();
        assertThat(full.selectFirst("p.recommendation").attr("data-ports")).isEqualTo("41");
        assertThat(full.selectFirst("p.recommendation").text()).startsWith("Needs 41: 1 more than the 40 bought for the"
                + " demand of the last 30 days (2026-10-28 to 2026-11-26)");
        Element busy = page.selectFirst("section.card[data-account=" + BUSY + "]");
        assertThat(busy.selectFirst("p.headline").hasClass("high")).isTrue();
        assertThat(busy.selectFirst("p.headline").text()).endsWith("≥\u202f80\u202f% on 1 day, never at capacity");
        assertThat(busy.selectFirst("p.recommendation").text()).startsWith("Needs 33: 7 fewer than the 40 bought");
        // now and today's peak, smaller, by the same thresholds: 30 of 40 is below 80 % for busy; 30 for the other
        assertThat(busy.selectFirst(".now .figure.now").text()).isEqualTo("30 in use now (10:00 h), 75\u202f% of 40");
        assertThat(busy.selectFirst(".now .figure.now").hasClass("normal")).isTrue();
        // each legend names what its chart draws, and only that: quiet has no day at 80 % or at capacity
        assertThat(page.select("section.card[data-account=" + QUIET + "] .history .legend .swatch").eachAttr("class"))
                .containsExactly("swatch bar", "swatch capacity", "swatch recommendation");
        assertThat(full.select(".history .legend .swatch").eachAttr("class"))
                .containsExactly("swatch bar", "swatch full", "swatch capacity", "swatch recommendation");
        assertThat(full.select("svg.usage-chart + .legend .swatch").eachAttr("class"))
                .containsExactly("swatch yesterday", "swatch today", "swatch high", "swatch full", "swatch capacity");
    }

    @Test
    void beforeTheMonthHasLoadedNoRecommendationFigureIsShown() throws Exception {
        Document loading;
        try (ChromiumPage chromium = open(1280, 900, false)) {
            loading = dom(chromium);
        }
        assertThat(loading.select("p.recommendation")).hasSize(3).allSatisfy(p -> {
            assertThat(p.text()).startsWith("Loading the last 30 days").doesNotContainPattern("\\d+ (more|fewer)");
            assertThat(p.hasAttr("data-ports")).isFalse();
        });
        assertThat(loading.select("line.recommendation, svg.history-chart")).isEmpty();
        assertThat(loading.select("p.headline span.window").eachText()).containsOnly("Yesterday and today:");
        // what is known ranks the cards already: the account was at capacity yesterday; busy's day at 85 % is not
        // known yet, so it ranks with quiet, by name
        assertThat(loading.select("section.card").eachAttr("data-account")).containsExactly(FULL, QUIET, BUSY);
        assertThat(loading.selectFirst("p.summary").text())
                .isEqualTo("1 of 3 accounts reached capacity in the last 30 days"
                        + " (yesterday and today only for 3 still loading); none needs more ports.");

        monthLoaded();
        try (ChromiumPage chromium = open(1280, 900, false)) {
            Document loaded = dom(chromium);
            assertThat(loaded.select("p.recommendation[data-ports]")).hasSize(3);
            assertThat(loaded.select("line.recommendation")).hasSize(3);
        }
    }

    @Test
    void onAPhoneNothingScrollsSidewaysAndNoTextIsUnderTenPixels() throws Exception {
        monthLoaded();
        ChromiumPage.Layout layout;
        try (ChromiumPage chromium = open(360, 800, true)) {
            layout = chromium.layout(10);
        }
        assertThat(layout.innerWidth()).isEqualTo(360);
        assertThat(layout.scrollWidth()).as("page width at 360 px").isEqualTo(360);
        assertThat(layout.svgTexts()).as("chart labels measured").isGreaterThan(30);
        assertThat(layout.texts()).isGreaterThan(100);
        assertThat(layout.small()).as("texts rendered under 10 px").isEmpty();
    }
}
