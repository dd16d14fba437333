package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageParserTest {
    private static List<DailyUsage> parse(String json) throws UpstreamException {
        return UsageParser.parse(json.getBytes(StandardCharsets.UTF_8), UnaryOperator.identity());
    }

    @Test
    void readsTheExampleOfTheApiPage() throws Exception {
        // The answer shown on the vendor's page, verbatim in shape: one day, 24 hours.
        byte[] body = Files.readAllBytes(Path.of("src/test/resources/upstream/api-page-example.json"));

        List<DailyUsage> days = UsageParser.parse(body, UnaryOperator.identity());

        assertThat(days).singleElement().satisfies(day -> {
            assertThat(day.date()).isEqualTo(LocalDate.of(2019, 12, 1));
            assertThat(day.hours()).hasSize(24);
            assertThat(day.hours().get(2)).isEqualTo(new HourUsage(2, 1, 4));
            assertThat(day.hours().get(23)).isEqualTo(new HourUsage(23, 1, 1));
            assertThat(day.peak()).hasValue(1);
        });
    }

    @Test
    void sortsShuffledHoursAndKeepsMissingHoursMissing() throws Exception {
        List<DailyUsage> days = parse("""
                {"status":200,"message":"OK","data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[
                  {"hour":"10","max_usage":7,"total_usage":9},{"hour":"03","max_usage":1,"total_usage":2}]}]}""");

        assertThat(days.get(0).hours()).containsExactly(new HourUsage(3, 1, 2), new HourUsage(10, 7, 9));
    }

    @Test
    void keepsEveryDayInTheAnswersOrder() throws Exception {
        List<DailyUsage> days = parse("""
                {"status":200,"message":"OK","data":[
                  {"date_time":"2026-11-26","crc_ports_hour_usage":[]},
                  {"date_time":"2026-11-20","crc_ports_hour_usage":[]}]}""");

        assertThat(days).extracting(DailyUsage::date)
                .containsExactly(LocalDate.of(2026, 11, 26), LocalDate.of(2026, 11, 20));
    }

    @Test
    void apiErrorStatusCarriesTheMessage() {
        assertThatThrownBy(() -> parse("{\"status\":401,\"message\":\"invalid api_key\"}"))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.API_STATUS))
                .hasMessage("API status 401: invalid api_key");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON            | {"status":200,                                     | the body is not valid JSON
            array at top        | []                                                  | the body is not a JSON object
            status missing      | {"data":[]}                                         \
            | "status" is missing or not an integer
            status as text      | {"status":"200","data":[]}                          \
            | "status" is missing or not an integer
            data missing        | {"status":200,"message":"OK"}                       | "data" is missing or not a list
            data not list       | {"status":200,"data":{}}                            | "data" is missing or not a list
            bad date            | {"status":200,"data":[{"date_time":"2026-13-01","crc_ports_hour_usage":[]}]} \
            | data[0].date_time is not a calendar date (got "2026-13-01")
            date format         | {"status":200,"data":[{"date_time":"26/11/2026","crc_ports_hour_usage":[]}]} \
            | data[0].date_time must be a yyyy-MM-dd string (got "26/11/2026")
            hours missing       | {"status":200,"data":[{"date_time":"2026-11-26"}]}  \
            | data[0].crc_ports_hour_usage is missing or not a list
            hour 24             | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"24",\
            "max_usage":1,"total_usage":1}]}]} \
            | data[0].crc_ports_hour_usage[0].hour must be a string "00".."23" (got "24")
            hour as number      | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":5,\
            "max_usage":1,"total_usage":1}]}]} \
            | data[0].crc_ports_hour_usage[0].hour must be a string "00".."23" (got 5)
            negative usage      | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"05",\
            "max_usage":-1,"total_usage":1}]}]} \
            | data[0].crc_ports_hour_usage[0].max_usage must be an integer between 0 and 1000000 (got -1)
            fractional usage    | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"05",\
            "max_usage":1,"total_usage":1.5}]}]} \
            | data[0].crc_ports_hour_usage[0].total_usage must be an integer between 0 and 1000000 (got 1.5)
            usage as text       | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"05",\
            "max_usage":"3","total_usage":1}]}]} \
            | data[0].crc_ports_hour_usage[0].max_usage must be an integer between 0 and 1000000 (got "3")
            absurd usage        | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"05",\
            "max_usage":99999999999,"total_usage":1}]}]} \
            | data[0].crc_ports_hour_usage[0].max_usage must be an integer between 0 and 1000000 (got 99999999999)
            hour twice          | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"05",\
            "max_usage":1,"total_usage":1},{"hour":"05","max_usage":1,"total_usage":1}]}]} \
            | data[0].crc_ports_hour_usage[1].hour "05" appears twice on 2026-11-26
            day twice           | {"status":200,"data":[{"date_time":"2026-11-26","crc_ports_hour_usage":[]},\
            {"date_time":"2026-11-26","crc_ports_hour_usage":[]}]} | data[1].date_time 2026-11-26 appears twice
            """)
    void malformedAnswersAreRejectedWithWhatIsWrong(String name, String json, String message) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.MALFORMED))
                .message().startsWith(message);
    }

    @Test
    void statusBeyondAnIntIsMalformedNotSuccess() {
        // 2^64 + 200: read as a long it would wrap round to 200
        assertThatThrownBy(() -> parse("{\"status\":18446744073709551816,\"data\":[]}"))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.MALFORMED))
                .hasMessage("\"status\" is missing or not an integer");
    }

    @Test
    void bodyTextQuotedByTheJsonParserIsElided() {
        assertThatThrownBy(() -> parse("hunter2\"rest"))
                .hasMessageStartingWith("the body is not valid JSON (Unrecognized token '...'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void quotedAnswerTextIsRedactedBeforeItIsShortened() {
        String secret = "hunter2-secret";
        String body = "{\"status\":401,\"message\":\"" + "y".repeat(190) + secret + "\"}";

        assertThatThrownBy(() -> UsageParser.parse(body.getBytes(StandardCharsets.UTF_8),
                t -> t.replace(secret, "<secret>")))
                .hasMessageContaining("y<secret>").hasMessageNotContaining("hunt");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a second object     | {"status":200,"data":[]}{"status":200,"data":[]}
            a stray bracket     | {"status":200,"data":[]}]
            a word              | {"status":200,"data":[]} trailing
            a number            | {"status":200,"data":[]} 1
            """)
    void anythingAfterTheJsonValueIsMalformed(String name, String body) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.MALFORMED))
                .hasMessageStartingWith("the body is not valid JSON");
    }

    @Test
    void whiteSpaceAfterTheJsonValueIsFine() throws Exception {
        assertThat(parse("{\"status\":200,\"data\":[]}\r\n \t\n")).isEmpty();
    }

    @Test
    void quotedTextIsRedactedAsDecodedSoThatAnEscapedSecretIsFoundToo() {
        // The upstream's value holds the secret JSON-escaped; quoting the value escapes it once more.
        String body = "{\"status\":200,\"data\":[{\"date_time\":\"a\\\\\\\"b\",\"crc_ports_hour_usage\":[]}]}";

        assertThatThrownBy(() -> UsageParser.parse(body.getBytes(StandardCharsets.UTF_8),
                t -> t.replace("a\\\"b", "<secret>")))
                .hasMessage("data[0].date_time must be a yyyy-MM-dd string (got \"<secret>\")");
    }

    @Test
    void objectsAndListsAreNamedNotQuoted() {
        assertThatThrownBy(() -> parse("{\"status\":500,\"message\":{\"detail\":\"hunter2\"}}"))
                .hasMessage("API status 500: an object");
    }
}
