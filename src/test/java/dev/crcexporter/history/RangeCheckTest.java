package dev.crcexporter.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RangeCheckTest {
    /** 2026-12-06 23:30 in Shanghai, already 2026-12-07 on Kiritimati (UTC+14). */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T15:30:00Z"), ZoneOffset.UTC);

    private static AccountConfig account(String name, ZoneId zone) {
        return new AccountConfig(name, new Credentials.Systec("key-" + name, new Secret("s")), OptionalInt.empty(),
                Optional.ofNullable(zone));
    }

    private static Optional<String> refusal(List<AccountConfig> accounts, String from, String to, int maxRequests) {
        ExporterConfig config = new ExporterConfig(ExporterConfig.DEFAULT_API_URL, RequestMethod.POST,
                ZoneId.of("Asia/Shanghai"), Duration.ofMinutes(5), Duration.ofSeconds(10), 8,
                new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)), accounts, ZoomConfig.DEFAULT);
        return RangeCheck.refusal(config, accounts, LocalDate.parse(from), LocalDate.parse(to), maxRequests, CLOCK);
    }

    @Test
    void exactlyMaxRequestsIsAllowedAndOneMoreIsNot() {
        List<AccountConfig> two = List.of(account("a", null), account("b", null));

        assertThat(refusal(two, "2026-10-31", "2026-12-01", 6)).isEmpty();
        assertThat(refusal(two, "2026-09-30", "2026-12-01", 6)).hasValue("2026-09-30..2026-12-01 needs 8 upstream"
                + " requests (2 account(s) x 4 calendar months), more than --max-requests=6: shorten the range or raise"
                + " --max-requests");
    }

    @Test
    void todayIsTheLastDayAllowed() {
        List<AccountConfig> one = List.of(account("a", null));

        assertThat(refusal(one, "2026-12-01", "2026-12-06", 1000)).isEmpty();
        assertThat(refusal(one, "2026-12-01", "2026-12-07", 1000))
                .hasValue("--to (2026-12-07) is after today (2026-12-06 in Asia/Shanghai)");
    }

    @Test
    void todayIsTheLatestAmongTheAccountsZones() {
        List<AccountConfig> accounts = List.of(account("a", null),
                account("kiritimati", ZoneId.of("Pacific/Kiritimati")));

        assertThat(refusal(accounts, "2026-12-01", "2026-12-07", 1000)).isEmpty();
        assertThat(refusal(accounts, "2026-12-01", "2026-12-08", 1000))
                .hasValue("--to (2026-12-08) is after today (2026-12-07 in Pacific/Kiritimati)");
    }

    @Test
    void fromTheYearOneNeedsTwentyFourThousandRequestsPerAccount() {
        assertThat(refusal(List.of(account("a", null)), "0001-01-01", "2026-12-06", 1000)).hasValueSatisfying(
                message -> assertThat(message).contains("needs 24,312 upstream requests"));
    }

    @Test
    void maxRequestsMustBePositive() {
        assertThat(refusal(List.of(account("a", null)), "2026-12-01", "2026-12-01", 0))
                .hasValue("--max-requests must be at least 1 (got 0)");
    }
}
