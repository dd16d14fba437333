package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.OptionalInt;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The landing page's last 30 days per account: what it costs upstream (read from the fake upstream's request log)
 * and what it shows. Polls ask for yesterday and today (from=2026-11-25); the history asks for the 29 days before
 * today (from=2026-10-28, to=2026-11-26, the API's exclusive end).
 */
class LandingPageHistoryIT {
    /** 10:30 in Shanghai on 2026-11-26. */
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private final ExporterFixture fixture = new ExporterFixture();
    private final MutableClock clock = new MutableClock(NOW);
    private FakeCrcApi upstream;
    private Exporter exporter;

    /** hq: a peak of 20 at 10:00 every day, 40 (its capacity) on 2026-11-20; 2026-11-05 not reported. */
    private static List<DailyUsage> hqDays() {
        List<DailyUsage> days = new ArrayList<>();
        for (LocalDate d = TODAY.minusDays(40); !d.isAfter(TODAY); d = d.plusDays(1)) {
            if (!d.equals(LocalDate.of(2026, 11, 5))) {
                days.add(Days.peakingAtTen(d.toString(), d.equals(LocalDate.of(2026, 11, 20)) ? 40 : 20));
            }
        }
        return days;
    }

    @BeforeEach
    void start() throws Exception {
        upstream = fixture.closeLater(new FakeCrcApi())
                .account("key-hq", "s-hq", hqDays())
                .account("key-branch", "s-branch",
                        List.of(Days.peakingAtTen("2026-11-25", 7), Days.peakingAtTen("2026-11-10", 9)));
        upstream.behave(request -> request.apiKey().equals("key-broken")
                ? Response.json(ApiAnswers.error(401, "invalid api_key <i>x</i>"))
                : upstream.documentedAnswer(request));
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                Duration.ofHours(1), Duration.ofSeconds(5), 4,
                new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(200)),
                List.of(new AccountConfig("hq", "key-hq", new Secret("s-hq"), OptionalInt.of(40)),
                        new AccountConfig("branch", "key-branch", new Secret("s-branch"), OptionalInt.empty()),
                        new AccountConfig("broken", "key-broken", new Secret("s-broken"), OptionalInt.of(5))),
                ZoomConfig.DEFAULT);
        exporter = fixture.start(config, clock);
        fixture.awaitReady(exporter, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private long historyRequests(String apiKey) {
        return upstream.requests().stream().filter(r -> r.apiKey().equals(apiKey))
                .filter(r -> isHistory(r.params().get("from"), r.params().get("to")))
                .count();
    }

    /** A history request spans 29 days; a poll spans 2. */
    private static boolean isHistory(String from, String to) {
        return LocalDate.parse(to).toEpochDay() - LocalDate.parse(from).toEpochDay() == 29;
    }

    private Document page() {
        return Jsoup.parse(fixture.get(exporter, "/").body());
    }

    /** Views the page until every account's history has been tried. */
    private Document pageOnceHistoryArrived() {
        return Poll.until(Duration.ofSeconds(15), Duration.ofMillis(50), "the history of every account", this::page,
                page -> page.select("p.recommendation.loading").isEmpty(),
                () -> "requests: " + upstream.requests().size());
    }

    @Test
    void noHistoryRequestUntilThePageIsViewedAndNoneFromScrapes() {
        for (int i = 0; i < 20; i++) {
            assertThat(fixture.get(exporter, "/metrics").statusCode()).isEqualTo(200);
        }
        fixture.get(exporter, "/-/ready");
        assertThat(upstream.requests())
                .allSatisfy(r -> assertThat(isHistory(r.params().get("from"), r.params().get("to"))).isFalse());
        assertThat(upstream.requests()).hasSize(3); // the first poll of each account, nothing else

        pageOnceHistoryArrived();
        assertThat(historyRequests("key-hq")).isEqualTo(1);
    }

    @Test
    void aPagedPageOfManyAccountsShowsAndFetchesNoHistory() throws Exception {
        FakeCrcApi fleet = fixture.closeLater(new FakeCrcApi());
        Exporter many = fixture.startWithFullDays(fleet, 301, clock); // one more than a page shows all cards
        int polls = fleet.requests().size();

        for (String path : List.of("/", "/?page=2", "/?page=7")) {
            Document page = Jsoup.parse(fixture.get(many, path).body());
            assertThat(page.select("section.card")).as(path).isNotEmpty();
            assertThat(page.select(".history")).as(path).isEmpty();
            assertThat(page.select("p.no-history").text()).as(path)
                    .contains("up to 300 accounts", "crc-exporter report");
        }
        // A refresh would run in the background: the page of three accounts gets its history within a second or two
        // here, so no request in three seconds says that none was asked for (a negative can only be watched).
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(fleet.requests()).as("requests after viewing the pages").hasSize(polls);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    @Test
    void atMostOneRequestPerAccountPerRefresh() {
        pageOnceHistoryArrived();
        for (int i = 0; i < 10; i++) {
            page();
            fixture.get(exporter, "/metrics");
        }
        assertThat(upstream.requests().stream().filter(r -> isHistory(r.params().get("from"), r.params().get("to"))))
                .extracting(r -> r.apiKey() + " " + r.params().get("from") + ".." + r.params().get("to"))
                .containsExactlyInAnyOrder("key-hq 2026-10-28..2026-11-26", "key-branch 2026-10-28..2026-11-26",
                        "key-broken 2026-10-28..2026-11-26");

        // An hour later the same day: nothing is due (hq and branch have today's history, broken was tried an hour
        // ago).
        clock.advance(Duration.ofHours(1));
        page();
        page();
        // Three hours after broken's attempt it is tried again, alone.
        clock.advance(Duration.ofHours(2));
        page();
        Poll.until(Duration.ofSeconds(10), "broken tried again", () -> historyRequests("key-broken") == 2);
        // The next day every account is fetched once more.
        clock.advance(Duration.ofDays(1));
        page();
        Poll.until(Duration.ofSeconds(10), "the next day's history", () -> historyRequests("key-hq") == 2
                && historyRequests("key-branch") == 2 && historyRequests("key-broken") == 3);
        for (int i = 0; i < 5; i++) {
            page();
        }
        assertThat(historyRequests("key-hq")).isEqualTo(2);
        assertThat(historyRequests("key-branch")).isEqualTo(2);
        assertThat(historyRequests("key-broken")).isEqualTo(3);
    }

    @Test
    void thirtyDailyPeaksUnderTheCapacityWithTheRecommendation() {
        Document page = pageOnceHistoryArrived();

        Element hq = page.selectFirst(".history[data-account=hq]");
        Element chart = hq.selectFirst("svg.history-chart");
        assertThat(chart.select("rect.bar").size() + chart.select("rect.missing").size()).isEqualTo(30);
        assertThat(chart.select("rect.missing").eachAttr("data-date")).containsExactly("2026-11-05");
        assertThat(chart.select("rect.bar").first().attr("data-date")).isEqualTo("2026-10-28");
        assertThat(chart.select("rect.bar").last().attr("data-date")).isEqualTo("2026-11-26");
        assertThat(chart.selectFirst("rect.bar[data-date=2026-11-20]").attr("data-value")).isEqualTo("40");
        assertThat(chart.selectFirst("rect.bar[data-date=2026-11-21]").attr("data-value")).isEqualTo("20");
        assertThat(chart.select("line.capacity").attr("data-value")).isEqualTo("40");
        // 27 full days peaking at 20 (11-05 is missing), 11-20 at 40 and today's hours 00..10: 683 hours. The 99th
        // percentile is the value of rank ceil(0.99 * 683) = 677, the 7th highest: 40, 37, 37, 34, 34, 31, 31.
        // 31 + 10 % = 34.1 -> 35.
        Element card = page.selectFirst("section.card[data-account=hq]");
        assertThat(card.selectFirst("p.recommendation").attr("data-ports")).isEqualTo("35");
        assertThat(chart.select("line.recommendation").attr("data-value")).isEqualTo("35");
        assertThat(card.selectFirst("p.recommendation").text())
                .startsWith("Needs 35: 5 fewer than the 40 bought for the demand of the last 30 days (2026-10-28"
                        + " to 2026-11-26): 99th percentile of hourly peaks + 10 % headroom");
        assertThat(card.selectFirst("p.headline").text())
                .isEqualTo("Last 30 days: highest daily peak 40 of 40 purchased"
                        + " · at capacity on 1 day · ≥\u202f80\u202f% on 1 day");
        // the bars stand under the capacity line: the 20-port bar well below it, the 40-port one reaching it
        double capacityY = Double.parseDouble(chart.selectFirst("line.capacity").attr("y1"));
        assertThat(Double.parseDouble(chart.selectFirst("rect.bar[data-date=2026-11-20]").attr("y")))
                .isEqualTo(capacityY);
        assertThat(Double.parseDouble(chart.selectFirst("rect.bar[data-date=2026-11-21]").attr("y")))
                .isGreaterThan(capacityY);

        // the link leads to the explanation on the same page
        assertThat(card.selectFirst("a.report-docs").attr("href")).isEqualTo("#capacity-report");
        assertThat(page.select("#capacity-report").text()).contains("crc-exporter report", "docs/capacity-report.md");

        // branch: only the two reported days have bars; broken: its (escaped) error, no bars
        assertThat(page.select(".history[data-account=branch] rect.bar").eachAttr("data-date"))
                .containsExactly("2026-11-10", "2026-11-25");
        assertThat(page.select(".history[data-account=broken]")).as("no month, no chart of it").isEmpty();
        assertThat(page.selectFirst("p.summary").text()).isEqualTo("1 of 3 accounts reached capacity in the last 30"
                + " days (yesterday and today only for 1 whose month could not be fetched); none needs more"
                + " ports. 1 has no capacity configured to compare with.");
        Element broken = page.selectFirst("section.card[data-account=broken] p.recommendation");
        assertThat(broken.hasAttr("data-ports")).isFalse();
        assertThat(broken.text())
                .startsWith("The last 30 days could not be fetched (api_status: API status 401: invalid"
                        + " api_key <i>x</i>): no recommendation from yesterday and today alone");
        assertThat(broken.select("i")).isEmpty();
        assertThat(page.html()).doesNotContain("s-hq", "s-broken");

        // no new series on /metrics
        assertThat(fixture.metrics(exporter)).doesNotContain("history", "recommend");
    }
}
