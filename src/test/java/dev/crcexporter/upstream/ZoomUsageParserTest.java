package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.ZoomAnswers;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ZoomUsageParserTest {
    private static List<DailyUsage> parse(String json) throws UpstreamException {
        return ZoomUsageParser.parse(json.getBytes(StandardCharsets.UTF_8), UnaryOperator.identity());
    }

    private static final List<DailyUsage> TWO_DAYS = List.of(
            new DailyUsage(LocalDate.of(2026, 11, 25), List.of(new HourUsage(0, 1, 2), new HourUsage(7, 6, 8),
                    new HourUsage(23, 3, 4))),
            new DailyUsage(LocalDate.of(2026, 11, 26), List.of(new HourUsage(9, 12, 20))));

    @ParameterizedTest
    @EnumSource(ZoomAnswers.Style.class)
    void bothDateTimeFormsAndBothHourFormsReadTheSame(ZoomAnswers.Style style) throws Exception {
        String answer = ZoomAnswers.usage(LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 26), TWO_DAYS, style);

        assertThat(parse(answer)).isEqualTo(TWO_DAYS);
    }

    @Test
    void theDateOfADateTimeIsItsFirstTenCharactersInWhateverZoneItIsWritten() throws Exception {
        // 23:30 at UTC-10 is already the 27th in UTC, and 00:30 at +14:00 the 25th: neither is moved.
        List<DailyUsage> days = parse("""
                {"from":"2026-11-25","to":"2026-11-27","crc_ports_usage":[
                  {"date_time":"2026-11-26T23:30:00-10:00","crc_ports_hour_usage":[{"hour":"7","max_usage":1,\
                "total_usage":1}]},
                  {"date_time":"2026-11-27T00:30:00+14:00","crc_ports_hour_usage":[]},
                  {"date_time":"2019-05-01T15:13:39.424Z","crc_ports_hour_usage":[]},
                  {"date_time":"2026-11-25T00:00:00","crc_ports_hour_usage":[]}]}""");

        assertThat(days).extracting(DailyUsage::date).containsExactly(LocalDate.of(2026, 11, 26),
                LocalDate.of(2026, 11, 27), LocalDate.of(2019, 5, 1), LocalDate.of(2026, 11, 25));
    }

    @Test
    void extraShuffledAndMissingDaysAndHoursComeAsTheyAre() throws Exception {
        List<DailyUsage> days = parse("""
                {"crc_ports_usage":[
                  {"date_time":"2026-11-27","crc_ports_hour_usage":[{"hour":"10","max_usage":7,"total_usage":9},
                    {"hour":"3","max_usage":1,"total_usage":2}]},
                  {"date_time":"2026-11-20","crc_ports_hour_usage":[]}]}""");

        assertThat(days).extracting(DailyUsage::date)
                .containsExactly(LocalDate.of(2026, 11, 27), LocalDate.of(2026, 11, 20));
        assertThat(days.get(0).hours()).containsExactly(new HourUsage(3, 1, 2), new HourUsage(10, 7, 9));
        assertThat(days.get(1).hours()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            usage missing        | {"from":"a","to":"b"}                                   \
            | "crc_ports_usage" is missing or not a list
            usage not a list     | {"crc_ports_usage":{}}                                  \
            | "crc_ports_usage" is missing or not a list
            systec shape         | {"status":200,"data":[]}                                \
            | "crc_ports_usage" is missing or not a list
            not an object        | []                                                      \
            | the body is not a JSON object
            date format          | {"crc_ports_usage":[{"date_time":"26/11/2026","crc_ports_hour_usage":[]}]} \
            | crc_ports_usage[0].date_time must be a yyyy-MM-dd date or a date-time that starts with one (got \
            "26/11/2026")
            date with junk       | {"crc_ports_usage":[{"date_time":"2026-11-26 junk","crc_ports_hour_usage":[]}]} \
            | crc_ports_usage[0].date_time must be a yyyy-MM-dd date or a date-time that starts with one (got \
            "2026-11-26 junk")
            date-time broken     | {"crc_ports_usage":[{"date_time":"2026-11-26T25:00:00Z",\
            "crc_ports_hour_usage":[]}]} \
            | crc_ports_usage[0].date_time must be a yyyy-MM-dd date or a date-time that starts with one
            date not a date      | {"crc_ports_usage":[{"date_time":"2026-02-30","crc_ports_hour_usage":[]}]} \
            | crc_ports_usage[0].date_time is not a calendar date (got "2026-02-30")
            date as number       | {"crc_ports_usage":[{"date_time":20261126,"crc_ports_hour_usage":[]}]} \
            | must be a yyyy-MM-dd date or a date-time that starts with one (got 20261126)
            hours missing        | {"crc_ports_usage":[{"date_time":"2026-11-26"}]}        \
            | crc_ports_usage[0].crc_ports_hour_usage is missing or not a list
            hour 24              | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"24",\
            "max_usage":1,"total_usage":1}]}]} \
            | crc_ports_usage[0].crc_ports_hour_usage[0].hour must be a string "0".."23" or "00".."23" (got "24")
            hour three digits    | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"007",\
            "max_usage":1,"total_usage":1}]}]} | .hour must be a string "0".."23" or "00".."23" (got "007")
            hour as number       | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":7,\
            "max_usage":1,"total_usage":1}]}]} | .hour must be a string "0".."23" or "00".."23" (got 7)
            hour 7 and 07        | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"7",\
            "max_usage":1,"total_usage":1},{"hour":"07","max_usage":2,"total_usage":2}]}]} \
            | .hour "07" appears twice on 2026-11-26
            day twice            | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[]},\
            {"date_time":"2026-11-26T00:00:00Z","crc_ports_hour_usage":[]}]} \
            | crc_ports_usage[1].date_time 2026-11-26 appears twice
            negative usage       | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"1",\
            "max_usage":-1,"total_usage":1}]}]} | max_usage must be an integer between 0 and 1000000 (got -1)
            fractional usage     | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"1",\
            "max_usage":6.5,"total_usage":1}]}]} | max_usage must be an integer between 0 and 1000000 (got 6.5)
            usage as text        | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"1",\
            "max_usage":"6","total_usage":1}]}]} | max_usage must be an integer between 0 and 1000000 (got "6")
            total missing        | {"crc_ports_usage":[{"date_time":"2026-11-26","crc_ports_hour_usage":[{"hour":"1",\
            "max_usage":6}]}]} | total_usage must be an integer between 0 and 1000000 (got nothing)
            trailing object      | {"crc_ports_usage":[]} {"crc_ports_usage":[]}           | the body is not valid JSON
            trailing text        | {"crc_ports_usage":[]}x                                 | the body is not valid JSON
            duplicate key        | {"crc_ports_usage":[],"crc_ports_usage":[]}             | the body is not valid JSON
            """)
    void malformedAnswersAreRejectedNamingTheProblem(String name, String body, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.MALFORMED))
                .hasMessageContaining(message);
    }

    @Test
    void trailingWhiteSpaceIsFine() throws Exception {
        assertThat(parse("{\"crc_ports_usage\":[]}\n \r\n")).isEmpty();
    }

    @Test
    void aTokenEchoedInTheAnswerIsRedactedBeforeItIsQuoted() {
        Secret token = new Secret("eyJhbGciOiJIUzUxMiJ9.zoom-token-value.c2ln");
        String body = "{\"crc_ports_usage\":[{\"date_time\":\"" + token.reveal().replace("/", "\\/")
                + "\",\"crc_ports_hour_usage\":[]}]}";

        assertThatThrownBy(() -> ZoomUsageParser.parse(body.getBytes(StandardCharsets.UTF_8), token::redact))
                .hasMessageContaining("<secret>").hasMessageNotContaining("zoom-token-value");
    }

    @Test
    void errorAnswersShowZoomsCodeAndMessage() {
        UnaryOperator<String> none = UnaryOperator.identity();
        assertThat(ZoomUsageParser.errorText(ZoomAnswers.error(124, "Invalid access token.")
                .getBytes(StandardCharsets.UTF_8), none))
                .isEqualTo(": code 124: Invalid access token.");
        assertThat(ZoomUsageParser.errorText("<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), none))
                .isEqualTo(": <html>Bad Gateway</html>");
        assertThat(ZoomUsageParser.errorText(new byte[0], none)).isEmpty();
    }
}
