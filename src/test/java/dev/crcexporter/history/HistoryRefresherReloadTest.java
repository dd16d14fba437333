package dev.crcexporter.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.upstream.RetryPolicy;
import dev.crcexporter.upstream.UsageSources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The landing page's months follow a reload: removed and renewed accounts forget theirs, the others keep them. */
class HistoryRefresherReloadTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);

    private static ExporterConfig config(FakeCrcApi api, AccountConfig... accounts) {
        return new ExporterConfig(api.url(), RequestMethod.POST, ExporterConfig.DEFAULT_TIMEZONE, Duration.ofHours(1),
                Duration.ofSeconds(5), 2, new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                List.of(accounts), ZoomConfig.DEFAULT);
    }

    private static AccountConfig account(String name, String secret) {
        return new AccountConfig(name, "k-" + name, new Secret(secret), OptionalInt.empty());
    }

    @Test
    void removedAndRenewedAccountsForgetTheirMonthAndTheNextRefreshAsksTheNewUpstream() throws Exception {
        try (FakeCrcApi api = new FakeCrcApi()) {
            for (String name : List.of("hq", "apac", "lat")) {
                api.account("k-" + name, "s-" + name, List.of(Days.peakingAtTen("2026-11-20", 7)));
            }
            ExporterConfig before = config(api, account("hq", "s-hq"), account("apac", "s-apac"),
                    account("lat", "s-lat"));
            try (UsageSources sources = new UsageSources(before, CLOCK);
                    HistoryRefresher history = new HistoryRefresher(before.accounts(), before.timezone(),
                            new HistoryFetcher(sources, new RetryPolicy(before.retry()), d -> {}, line -> {}), CLOCK,
                            HistoryRefresher.DEFAULT_RETRY_INTERVAL)) {
                history.refreshDue();
                assertThat(history.of("hq")).hasValueSatisfying(h -> assertThat(h.error()).isEmpty());

                api.account("k-hq", "s-hq-2", List.of(Days.peakingAtTen("2026-11-20", 9)));
                ExporterConfig after = config(api, account("hq", "s-hq-2"), account("apac", "s-apac"));
                sources.apply(after);
                history.apply(after.accounts(), Set.of("hq"));

                assertThat(history.of("hq")).isEmpty();
                assertThat(history.of("lat")).isEmpty();
                assertThat(history.of("apac")).isPresent();
                history.refreshDue();
                // hq asked again with its new secret (and succeeded); apac was fetched today already; lat is gone.
                assertThat(history.of("hq")).hasValueSatisfying(h -> assertThat(h.error()).isEmpty());
                assertThat(List.of(api.requestsFor("k-hq"), api.requestsFor("k-apac"), api.requestsFor("k-lat")))
                        .containsExactly(2L, 1L, 1L);
            }
        }
    }
}
