package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** An account's source, and so a Zoom account's token, lives as long as its identity: what a reload may keep. */
class UsageSourcesTest {
    private static final AccountConfig ZOOM = new AccountConfig("emea", new Credentials.Zoom("acct", "client",
            new Secret("client-secret")), OptionalInt.of(10), Optional.empty());
    private static final AccountConfig SYSTEC = new AccountConfig("hq", "key", new Secret("api-secret"),
            OptionalInt.of(40));

    private static ExporterConfig config(ZoneId zone, URI apiUrl, ZoomConfig zoom, AccountConfig... accounts) {
        return new ExporterConfig(apiUrl, RequestMethod.POST, zone, Duration.ofMinutes(5), Duration.ofSeconds(10), 8,
                RetryConfig.DEFAULT, List.of(accounts), zoom);
    }

    private static final ExporterConfig BASE = config(ZoneId.of("Asia/Shanghai"), ExporterConfig.DEFAULT_API_URL,
            ZoomConfig.DEFAULT, ZOOM, SYSTEC);

    @Test
    void anEqualIdentityGetsTheSameSourceAndAChangedOneANewOne() {
        try (UsageSources sources = new UsageSources(BASE, Clock.systemUTC())) {
            UsageSource zoom = sources.of(ZOOM);
            UsageSource systec = sources.of(SYSTEC);

            // equal records (secrets compare by value), another capacity: the same state
            AccountConfig sameZoom = new AccountConfig("emea",
                    new Credentials.Zoom("acct", "client", new Secret("client-secret")), OptionalInt.of(99),
                    Optional.empty());
            assertThat(sources.of(sameZoom)).isSameAs(zoom);
            assertThat(sources.of(BASE, SYSTEC)).isSameAs(systec);

            // a changed secret, URL, zone or source: a new account as far as the upstream is concerned
            assertThat(sources.of(new AccountConfig("emea",
                    new Credentials.Zoom("acct", "client", new Secret("rotated")), OptionalInt.of(10),
                    Optional.empty()))).isNotSameAs(zoom);
            assertThat(sources.of(config(ZoneId.of("Asia/Shanghai"), ExporterConfig.DEFAULT_API_URL,
                    new ZoomConfig(URI.create("https://api.zoomgov.com/v2/metrics/crc"), ZoomConfig.DEFAULT_OAUTH_URL)),
                    ZOOM))
                    .isNotSameAs(zoom);
            assertThat(sources.of(config(ZoneId.of("Asia/Shanghai"), URI.create("https://api.example.com/crc"),
                    ZoomConfig.DEFAULT), SYSTEC)).isNotSameAs(systec);
            assertThat(sources.of(config(ZoneId.of("Asia/Shanghai"), URI.create("https://api.example.com/crc"),
                    ZoomConfig.DEFAULT), ZOOM)).as("the seed API's URL is not the Zoom account's").isSameAs(zoom);
            assertThat(sources.of(new AccountConfig("emea", ZOOM.credentials(), OptionalInt.of(10),
                    Optional.of(ZoneId.of("Europe/Berlin"))))).isNotSameAs(zoom);
            assertThat(sources.of(config(ZoneId.of("UTC"), ExporterConfig.DEFAULT_API_URL, ZoomConfig.DEFAULT), SYSTEC))
                    .as("the configured zone is the account's when it has none").isNotSameAs(systec);
            assertThat(sources.of(new AccountConfig("emea", "key", new Secret("client-secret"), OptionalInt.of(10))))
                    .isNotSameAs(zoom);
        }
    }

    @Test
    void theIdentityShowsNoSecret() {
        assertThat(UsageSources.Identity.of(BASE, ZOOM).toString()).doesNotContain("client-secret")
                .contains("<secret>");
    }
}
