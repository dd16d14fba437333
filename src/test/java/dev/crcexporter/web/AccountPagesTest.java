package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.testing.SimulatedAccounts;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/**
 * The landing page shows the accounts worst first at any fleet size (at capacity, then at 80 %, then failing, then
 * the rest, by name within each), and above a few hundred accounts a page at a time.
 */
class AccountPagesTest {
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z"); // 10:30 in Shanghai
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LandingPage PAGE = new LandingPage(new BuildInfo("1", "r", "17"), "/metrics",
            Clock.fixed(NOW, ZoneOffset.UTC), SHANGHAI, Optional.empty(), Optional.empty());

    private static Document render(List<AccountSnapshot> accounts, String page) throws AccountPages.NoSuchPage {
        return Jsoup.parse(PAGE.render(accounts, page));
    }

    private static List<String> cards(Document page) {
        return page.select("section.card").eachAttr("data-account");
    }

    @Test
    void upToAFewHundredAccountsEveryCardIsShownOnOnePage() throws Exception {
        List<AccountSnapshot> accounts = SimulatedAccounts.store(AccountPages.ALL_CARDS_UP_TO, NOW, SHANGHAI).all();
        Document page = render(accounts, null);
        assertThat(cards(page)).containsExactlyInAnyOrderElementsOf(accounts.stream().map(AccountSnapshot::name)
                .toList());
        assertThat(page.select("nav.pages")).isEmpty();
        assertThatThrownBy(() -> render(accounts, "2")).isInstanceOf(AccountPages.NoSuchPage.class)
                .hasMessage("page must be 1: all 300 accounts are on it (got \"2\")");
    }

    @Test
    void aFewAccountsAreOrderedByRiskThenByName() throws Exception {
        // configured quiet first and at capacity last; "quiet" and "nocap" (no capacity: nothing to compare) rank last
        List<AccountConfig> configs = List.of(new AccountConfig("quiet", "k", new Secret("s"), OptionalInt.of(40)),
                new AccountConfig("nocap", "k", new Secret("s"), OptionalInt.empty()),
                new AccountConfig("broken", "k", new Secret("s"), OptionalInt.of(40)),
                new AccountConfig("busy", "k", new Secret("s"), OptionalInt.of(40)),
                new AccountConfig("zfull", "k", new Secret("s"), OptionalInt.of(40)),
                new AccountConfig("full", "k", new Secret("s"), OptionalInt.of(40)));
        SnapshotStore store = new SnapshotStore(configs);
        for (AccountConfig config : configs) {
            long ports = switch (config.name()) {
                case "full", "zfull" -> 40;
                case "busy" -> 32; // 80 %
                case "nocap" -> 99;
                default -> 31;
            };
            store.update(store.slots().get(config.name()), s -> s.withSuccess(List.of(new DailyUsage(LocalDate.of(2026,
                    11, 25),
                    List.of(new HourUsage(10, ports, ports)))), NOW, Duration.ofMillis(5)));
        }
        store.update(store.slots().get("broken"), s -> s.withFailure(Duration.ofSeconds(1)));

        Document page = render(store.all(), null);
        assertThat(cards(page)).containsExactly("full", "zfull", "busy", "broken", "nocap", "quiet");
        assertThat(page.select("section.card").eachAttr("data-risk"))
                .containsExactly("at-capacity", "at-capacity", "near-capacity", "failing", "other", "other");
        // without the month (no history here) the summary counts yesterday and today, and says so
        assertThat(page.selectFirst("p.summary").text())
                .isEqualTo("2 of 6 accounts reached capacity yesterday or today,"
                        + " 1 more reached 80\u202f%. 1 has no capacity configured to compare with.");
    }

    @Test
    void manyAccountsArePagedWorstFirst() throws Exception {
        // 400 quiet accounts, then three that need attention, configured last
        List<AccountConfig> configs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            configs.add(new AccountConfig("quiet-" + i, "k", new Secret("s"), OptionalInt.of(40)));
        }
        configs.add(new AccountConfig("nearly-full", "k", new Secret("s"), OptionalInt.of(40)));
        configs.add(new AccountConfig("full", "k", new Secret("s"), OptionalInt.of(40)));
        configs.add(new AccountConfig("broken", "k", new Secret("s"), OptionalInt.of(40)));
        SnapshotStore store = new SnapshotStore(configs);
        for (AccountConfig config : configs) {
            long ports = switch (config.name()) {
                case "full" -> 40;
                case "nearly-full" -> 35;
                default -> 3;
            };
            store.update(store.slots().get(config.name()), s -> s.withSuccess(List.of(new DailyUsage(
                    LocalDate.of(2026, 11, 26), List.of(new HourUsage(10, ports, ports)))), NOW, Duration.ofMillis(5)));
        }
        store.update(store.slots().get("broken"), s -> s.withFailure(Duration.ofSeconds(1)));

        Document first = render(store.all(), null);
        assertThat(cards(first)).hasSize(AccountPages.PAGE_SIZE).startsWith("full", "nearly-full", "broken", "quiet-0",
                "quiet-1",
                "quiet-10", "quiet-100");
        assertThat(first.select("nav.pages").text()).contains("Accounts 1–50 of 403", "page 1 of 9");
        assertThat(first.select("nav.pages a[rel=next]").attr("href")).isEqualTo("?page=2");
        assertThat(first.select("nav.pages a[rel=prev]")).isEmpty();
        assertThat(first.outerHtml().length()).as("a page, not 403 cards").isLessThan(600_000);

        Document last = render(store.all(), "9");
        assertThat(cards(last)).hasSize(3);
        assertThat(last.select("nav.pages a[rel=prev]").attr("href")).isEqualTo("?page=8");
        assertThat(last.select("nav.pages a[rel=next]")).isEmpty();

        for (String bad : List.of("0", "10", "-1", "abc", "")) {
            assertThatThrownBy(() -> render(store.all(), bad)).isInstanceOf(AccountPages.NoSuchPage.class)
                    .hasMessage("page must be a number from 1 to 9 (got \"" + bad + "\")");
        }
    }

    @Test
    void tenThousandAccountsMakeASmallPage() throws Exception {
        List<AccountSnapshot> accounts = SimulatedAccounts.store(10_000, NOW, SHANGHAI).all();
        String html = PAGE.render(accounts, "200");
        assertThat(cards(Jsoup.parse(html))).hasSize(50);
        assertThat(html.length()).isLessThan(600_000);
        assertThat(PAGE.render(accounts, null)).contains("failing</strong>", " more)");
    }
}
