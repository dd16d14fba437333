package dev.crcexporter.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AccountChangesTest {
    private static AccountConfig account(String name, String key, String secret, OptionalInt capacity) {
        return new AccountConfig(name, key, new Secret(secret), capacity);
    }

    private static ExporterConfig config(ZoneId zone, Duration interval, AccountConfig... accounts) {
        return new ExporterConfig(URI.create("http://127.0.0.1:1/api"), RequestMethod.POST, zone, interval,
                Duration.ofSeconds(10), 8, RetryConfig.DEFAULT, List.of(accounts), ZoomConfig.DEFAULT);
    }

    @Test
    void namesEveryAddedRemovedAndChangedAccountAndSettingButNoValue() {
        ExporterConfig before = config(ExporterConfig.DEFAULT_TIMEZONE, Duration.ofMinutes(5),
                account("hq", "k1", "s1", OptionalInt.of(40)), account("emea", "k2", "s2", OptionalInt.empty()),
                account("apac", "k3", "s3", OptionalInt.of(5)));
        ExporterConfig after = config(ZoneId.of("Europe/Berlin"), Duration.ofMinutes(1),
                account("latam", "k4", "s4", OptionalInt.empty()),
                account("hq", "k1", "s1-rotated", OptionalInt.of(48)),
                account("apac", "k3", "s3", OptionalInt.of(5)), account("emea", "k2b", "s2", OptionalInt.empty()));

        AccountChanges changes = AccountChanges.between(before, after);

        assertThat(changes.added()).containsExactly("latam");
        assertThat(changes.removed()).isEmpty();
        assertThat(changes.changed()).containsOnlyKeys("hq", "emea");
        assertThat(changes.changed().get("hq")).containsExactly("api_secret", "capacity");
        assertThat(changes.changed().get("emea")).containsExactly("api_key");
        assertThat(changes.settings()).containsExactly("timezone", "poll_interval");
        assertThat(changes.summary()).isEqualTo("4 account(s); added: latam; changed: hq (api_secret, capacity),"
                + " emea (api_key); settings: timezone, poll_interval").doesNotContain("s1", "k2b", "Berlin");
    }

    @Test
    void aSecretReadAgainWithTheSameValueIsNoChange() {
        ExporterConfig before = config(ExporterConfig.DEFAULT_TIMEZONE, Duration.ofMinutes(5),
                account("hq", "k", "s", OptionalInt.empty()));
        ExporterConfig same = config(ExporterConfig.DEFAULT_TIMEZONE, Duration.ofMinutes(5),
                account("hq", "k", "s", OptionalInt.empty()));
        AccountChanges changes = AccountChanges.between(before, same);
        assertThat(changes.none()).isTrue();
        assertThat(changes.summary()).isEqualTo("1 account(s); nothing changed");

        AccountChanges gone = AccountChanges.between(before,
                config(ExporterConfig.DEFAULT_TIMEZONE, Duration.ofMinutes(5)));
        assertThat(gone.summary()).isEqualTo("0 account(s); removed: hq");
    }
}
