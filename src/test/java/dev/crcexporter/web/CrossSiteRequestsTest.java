package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a browser on another site sends to {@code POST /-/reload}, and what tools send. */
class CrossSiteRequestsTest {
    private static Optional<String> refusal(String scheme, String host, String origin, String fetchSite) {
        return CrossSiteRequests.refusal(scheme, host, origin, fetchSite, null, false);
    }

    @ParameterizedTest(name = "{0}://{1} from Origin {2}")
    @CsvSource(nullValues = "-", textBlock = """
            http,  127.0.0.1:9877,         http://127.0.0.1:9877
            http,  127.0.0.1:9877,         HTTP://127.0.0.1:9877
            http,  exporter.example,       http://exporter.example:80
            http,  Exporter.Example:80,    http://exporter.example
            https, exporter.example,       https://exporter.example:443
            http,  [::1]:9877,             http://[::1]:9877
            """)
    void theExportersOwnOriginMayReload(String scheme, String host, String origin) {
        assertThat(refusal(scheme, host, origin, "same-origin")).isEmpty();
    }

    @ParameterizedTest(name = "{0}://{1} from Origin {2}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            http  | 127.0.0.1:9877   | https://127.0.0.1:9877  | (http://127.0.0.1:9877)
            http  | 127.0.0.1:9877   | http://127.0.0.1:9878   | (http://127.0.0.1:9877)
            http  | 127.0.0.1:9877   | http://localhost:9877   | (http://127.0.0.1:9877)
            https | exporter.example | http://exporter.example | (https://exporter.example:443)
            http  | 127.0.0.1:9877   | null                    | (http://127.0.0.1:9877)
            http  | 127.0.0.1:9877   | http://127.0.0.1:9877/x | (http://127.0.0.1:9877)
            http  | -                | http://127.0.0.1:9877   | (no Host header)
            """)
    void anyOtherOriginIsRefused(String scheme, String host, String origin, String own) {
        assertThat(refusal(scheme, host, origin, null)).hasValue("Origin " + origin + " is not this exporter's own "
                + own + ": a page of another site may not reload it");
    }

    @Test
    void secFetchSiteOtherThanSameOriginOrNoneIsRefused() {
        assertThat(refusal("http", "h:1", null, "same-origin")).isEmpty();
        assertThat(refusal("http", "h:1", null, "none")).isEmpty();
        assertThat(refusal("http", "h:1", null, "cross-site")).hasValue("Sec-Fetch-Site is cross-site: only a page of"
                + " this exporter (same-origin) or a tool may reload it");
        assertThat(refusal("http", "h:1", null, "same-site")).isPresent();
        assertThat(refusal("http", "h:1", "http://h:1", "cross-site")).as("both headers must agree").isPresent();
    }

    @Test
    void aBodyOfATypeAFormSendsIsRefusedOtherBodiesAndNoBodyAreNot() {
        for (String type : new String[] {"application/x-www-form-urlencoded", "Multipart/Form-Data; boundary=x",
                "text/plain;charset=UTF-8"}) {
            assertThat(CrossSiteRequests.refusal("http", "h:1", null, null, type, true)).as(type).isPresent();
            assertThat(CrossSiteRequests.refusal("http", "h:1", null, null, type, false)).as(type + ", empty")
                    .isEmpty();
        }
        assertThat(CrossSiteRequests.refusal("http", "h:1", null, null, "application/json", true)).isEmpty();
        assertThat(CrossSiteRequests.refusal("http", "h:1", null, null, null, true)).isEmpty();
    }

    @Test
    void whatAHeaderHoldsIsShownPrintableAndShort() {
        assertThat(refusal("http", "h:1", "http://x\u202E\u0007" + "y".repeat(200), null))
                .hasValueSatisfying(m -> assertThat(m).startsWith("Origin http://x??yyy").contains("...")
                        .doesNotContain("\u202E", "\u0007").hasSizeLessThan(300));
    }
}
