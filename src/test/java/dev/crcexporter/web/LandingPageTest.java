package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.PollError;
import dev.crcexporter.upstream.FailureReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** What the last error line of an account's card says, depending on where its polls stand. */
class LandingPageTest {
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final AccountConfig HQ = new AccountConfig("hq", "key-hq", new Secret("secret-hq"),
            OptionalInt.of(40));
    private static final PollError TIMEOUT = new PollError(NOW.minusSeconds(5), FailureReason.TIMEOUT,
            "no complete answer within 10000ms");

    private static Element lastError(AccountSnapshot account) {
        String html;
        try {
            html = new LandingPage(new BuildInfo("1.2.3", "abc", "17"), "/metrics", Clock.fixed(NOW, ZoneOffset.UTC),
                    ZoneId.of("Asia/Shanghai"), Optional.empty(), Optional.empty()).render(List.of(account), null);
        } catch (AccountPages.NoSuchPage e) {
            throw new AssertionError(e);
        }
        return Jsoup.parse(html).selectFirst("section[data-account=hq] dt:contains(Last error) + dd");
    }

    @Test
    void whileTheFirstPollIsStillRetryingTheErrorIsCurrentNotRecovered() {
        Element error = lastError(AccountSnapshot.initial(HQ).withError(TIMEOUT));

        assertThat(error.text())
                .isEqualTo("timeout: no complete answer within 10000ms (5s ago, first poll still retrying)");
        assertThat(error.selectFirst("span.error")).isNotNull();
    }

    @Test
    void afterASuccessTheErrorIsShownAsRecovered() {
        Element error = lastError(AccountSnapshot.initial(HQ).withError(TIMEOUT)
                .withSuccess(List.of(), NOW.minusSeconds(2), Duration.ofSeconds(3)));

        assertThat(error.text()).endsWith("(5s ago, since recovered)");
        assertThat(error.selectFirst("span.error")).isNull();
    }

    @Test
    void afterAFailedPollTheErrorIsCurrent() {
        Element error = lastError(AccountSnapshot.initial(HQ).withError(TIMEOUT).withFailure(Duration.ofSeconds(21)));

        assertThat(error.text()).endsWith("(5s ago)");
        assertThat(error.selectFirst("span.error")).isNotNull();
    }
}
