package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionTest {
    private static final List<String> ACCOUNT_KEYS = List.of("account_id", "api_key", "api_secret", "api_secret_file",
            "capacity", "client_id", "client_secret", "client_secret_file", "name", "source", "timezone");

    @Test
    void typosOfOneOrTwoEditsSuggestTheKeyMeant() {
        assertThat(KeySuggestion.closest("api_secert", ACCOUNT_KEYS)).hasValue("api_secret");
        assertThat(KeySuggestion.closest("capcity", ACCOUNT_KEYS)).hasValue("capacity");
        assertThat(KeySuggestion.closest("api-key", ACCOUNT_KEYS)).hasValue("api_key");
        assertThat(KeySuggestion.closest("API_KEY", ACCOUNT_KEYS)).hasValue("api_key");
        assertThat(KeySuggestion.closest("time_zone", ACCOUNT_KEYS)).hasValue("timezone");
        assertThat(KeySuggestion.closest("api_secret_fil", ACCOUNT_KEYS)).hasValue("api_secret_file");
    }

    @Test
    void aKeyFarFromEveryKnownOneSuggestsNothing() {
        assertThat(KeySuggestion.closest("colour", ACCOUNT_KEYS)).isEmpty();
        assertThat(KeySuggestion.closest("secret", ACCOUNT_KEYS)).isEmpty();
        assertThat(KeySuggestion.closest("url", ACCOUNT_KEYS)).isEmpty();
        // two edits are too many for a short key: "nm" is not "name" (and not "api_key" either)
        assertThat(KeySuggestion.closest("nm", ACCOUNT_KEYS)).isEmpty();
    }

    @Test
    void aSwapOfNeighboursIsOneEdit() {
        assertThat(KeySuggestion.edits("secert", "secret")).isEqualTo(1);
        assertThat(KeySuggestion.edits("capcity", "capacity")).isEqualTo(1);
        assertThat(KeySuggestion.edits("", "name")).isEqualTo(4);
        assertThat(KeySuggestion.edits("kitten", "sitting")).isEqualTo(3);
    }
}
