package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.BrokenHttpUpstream;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi.Framing;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.TcpSockets;
import dev.crcexporter.upstream.BoundedExchange;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way an upstream answer can be wrong, over real loopback HTTP: API errors, malformed, cut and oversized
 * bodies, broken HTTP, and days the exporter must not expose. Rows of the fault table of issue 3; the connection's
 * faults are in {@link UpstreamFaultsIT}.
 */
class UpstreamAnswersIT extends UpstreamFaultsFixture {
    @Test
    void apiErrorStatusIsCountedWithTheApisMessageInTheLog() {
        upstream.behave(request -> Response.json(ApiAnswers.error(10003, "account disabled by administrator")));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5), noRetry());

        awaitError(exporter, FailureReason.API_STATUS);
        awaitWarning("api_status", "API status 10003: account disabled by administrator");
        assertThat(fixture.metrics(exporter)).contains("crc_up{account=\"hq\"} 0.0");
    }

    @Test
    void bidirectionalControlsOfAnApiMessageReachNeitherThePageNorTheLog() {
        // U+202E would show "exceeded" as "dedeecxe" (and whatever follows reversed); U+2066..U+2069 isolate text.
        upstream.behave(request -> Response.json(ApiAnswers.error(10003, "quota \u202Eexceeded\u2066!\u2069 \u0085")));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5), noRetry());

        awaitError(exporter, FailureReason.API_STATUS);
        awaitWarning("api_status", "API status 10003: quota  exceeded !");
        String lastError = fixture.landingPageCards(exporter).get("hq");

        assertThat(lastError).contains("API status 10003: quota exceeded !");
        List<String> bidiControls = List.of("\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067",
                "\u2068", "\u2069", "\u0085");
        assertThat(fixture.get(exporter, "/").body()).contains("quota").doesNotContain(bidiControls);
        assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(bidiControls));
    }

    /** A good answer for hq whose today 10:00 reads 77: if any of it were taken, the metrics would show 77. */
    private static String answerWith77() {
        return ApiAnswers.success(List.of(day("2026-11-25", 20), day("2026-11-26", 77)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated          | TRUNCATE          |                        | is not valid JSON
            HTML page          | <html>Bad Gateway | REPLACE_ALL            | is not valid JSON
            empty body         | ''                | REPLACE_ALL            | not a JSON object
            usage as text      | "max_usage":74,   | "max_usage":"67",      | max_usage must be an integer
            negative usage     | "max_usage":74,   | "max_usage":-1,        \
            | max_usage must be an integer between 0 and 1000000 (got -1)
            fractional usage   | "max_usage":74,   | "max_usage":6.5,       \
            | max_usage must be an integer between 0 and 1000000 (got 6.5)
            absurd usage       | "max_usage":74,   | "max_usage":99999999999999999999, \
            | max_usage must be an integer between 0 and 1000000
            hour 24            | "hour":"23"       | "hour":"24"            \
            | .hour must be a string "00".."23" (got "24")
            hour as number     | "hour":"23"       | "hour":23              | .hour must be a string "00".."23" (got 23)
            usage missing      | "max_usage":74,   | ''                     \
            | max_usage must be an integer between 0 and 1000000 (got nothing)
            hours missing      | "crc_ports_hour_usage" | "hours"           \
            | crc_ports_hour_usage is missing or not a list
            data missing       | "data"            | "daten"                | "data" is missing or not a list
            data not a list    | "data":[          | "data":{"x":[          | is not valid JSON
            status as text     | "status":200      | "status":"200"         | "status" is missing or not an integer
            status overflowing | "status":200      | "status":18446744073709551816 \
            | "status" is missing or not an integer
            date not a date    | "2026-11-25"      | "2026-02-30"           | date_time is not a calendar date
            """)
    void malformedAnswerIsCountedAndNothingOfItIsExposed(String name, String find, String replacement, String logged) {
        // A poll every 100ms; its timeout far beyond a loopback answer, so only what the fake answers fails it.
        Exporter exporter = startHq(Duration.ofMillis(100), Duration.ofSeconds(10), noRetry());
        Poll.until(Duration.ofSeconds(10), "first good poll", () -> fixture.account(exporter, "hq").up());
        String good = answerWith77();
        String bad = switch (find) {
            case "TRUNCATE" -> good.substring(0, good.length() / 2);
            default -> "REPLACE_ALL".equals(replacement) ? find : replaceFirst(good, find, replacement);
        };
        assertThat(bad).isNotEqualTo(good);
        upstream.behave(request -> Response.json(bad));

        awaitError(exporter, FailureReason.MALFORMED);
        Poll.until(Duration.ofSeconds(5), "hq down", () -> !fixture.account(exporter, "hq").up());

        String metrics = fixture.metrics(exporter);
        assertThat(ExporterFixture.value(metrics, HQ)).as("the previous good value stays").hasValue(30.0);
        // Only the usage series: jvm_threads_current may well be 77 too.
        assertThat(metrics.lines().filter(l -> l.startsWith("crc_ports_"))).noneMatch(l -> l.endsWith(" 77.0"));
        assertThat(metrics).contains("crc_up{account=\"hq\"} 0.0");
        // Every later poll fails the same way: the error kept for the landing page is this one.
        Poll.until(Duration.ofSeconds(10), Duration.ofMillis(20), "the last error is the malformed answer: " + logged,
                () -> fixture.landingPageCards(exporter).get("hq"),
                error -> error.startsWith("malformed: ") && error.contains(logged), () -> "");
        // logfmt escapes the quotes of the message
        awaitWarning("malformed", logged.replace("\"", "\\\""));
    }

    private static String replaceFirst(String text, String find, String replacement) {
        int at = text.indexOf(find);
        assertThat(at).as("'%s' in the answer", find).isNotNegative();
        return text.substring(0, at) + replacement + text.substring(at + find.length());
    }

    @Test
    void bodyCutShortByTheConnectionIsAFailureAndExposesNothing() {
        Exporter exporter = startHq(Duration.ofMillis(100), Duration.ofSeconds(10), noRetry());
        Poll.until(Duration.ofSeconds(10), "first good poll", () -> fixture.account(exporter, "hq").up());
        upstream.behave(request -> Response.json(answerWith77()).framed(Framing.CUT_SHORT));

        // Waits for the error under test itself: a timeout on a loaded machine would take hq down too.
        Poll.until(Duration.ofSeconds(10), "hq down after a cut-short body", () -> !fixture.account(exporter, "hq").up()
                && errors(exporter, "hq", FailureReason.CONNECT) >= 1);
        // The transport sees the cut (fewer bytes than Content-Length): the connection broke, so "connect";
        // a body that arrives whole but holds cut JSON is "malformed" (see the table above).
        assertThat(fixture.account(exporter, "hq").errors()).containsEntry(FailureReason.MALFORMED, 0L);
        awaitWarning("connect", "fixed content-length");
        assertThat(ExporterFixture.value(fixture.metrics(exporter), HQ)).hasValue(30.0);
    }

    @Test
    void fiveMegabytesOfValidLookingJsonAreCutAtTheCap() {
        List<DailyUsage> days = IntStream.range(0, 5000)
                .mapToObj(i -> day(LocalDate.of(2026, 11, 26).minusDays(i).toString(), 30)).toList();
        String huge = ApiAnswers.success(days);
        assertThat(huge.length()).isGreaterThan(5 * BoundedExchange.MAX_BODY_BYTES);
        upstream.behave(request -> Response.json(huge));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5), noRetry());

        awaitError(exporter, FailureReason.MALFORMED);
        awaitWarning("malformed", "larger than " + BoundedExchange.MAX_BODY_BYTES + " bytes");
        assertThat(fixture.metrics(exporter)).doesNotContain("crc_ports_max_usage{");
    }

    /**
     * Answers that are not HTTP, from a raw socket: each is counted with its reason, and no socket of this
     * process stays connected to that upstream afterwards (the JDK's client would keep one per failure).
     * UpstreamResourceBoundsIT repeats each 60 times in the packaged jar and measures heap and sockets.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            OVERSIZED_HEADER_BLOCK | malformed | the answer is not valid HTTP: ProtocolException Header size too big
            INVALID_STATUS_LINE    | malformed \
            | the answer is not valid HTTP: ProtocolException Invalid status line: \\"HTTP/1.1 OK but not HTTP\\"
            INTERIM_1XX_FLOOD      | malformed \
            | the answer is not valid HTTP: ProtocolException Too many interim responses received
            ENDLESS_HEADERS        | timeout   | account=hq
            """)
    void brokenHttpAnswerIsCountedAndLeavesNoConnectionBehind(BrokenHttpUpstream.Mode mode, String reason,
            String logged) throws Exception {
        BrokenHttpUpstream broken = fixture.closeLater(new BrokenHttpUpstream());
        Exporter exporter = fixture.start(config(broken.url(), Duration.ofMillis(500), Duration.ofMillis(400), 8,
                noRetry(), account("hq")), CLOCK);
        Poll.until(Duration.ofSeconds(10), "first good poll", () -> fixture.account(exporter, "hq").up());

        broken.mode(mode);
        FailureReason expected = FailureReason.valueOf(reason.toUpperCase(java.util.Locale.ROOT));
        Poll.until(Duration.ofSeconds(20), "three failed polls", () -> errors(exporter, "hq", expected) >= 3);
        awaitWarning(reason, logged);
        broken.mode(BrokenHttpUpstream.Mode.GOOD);
        Poll.until(Duration.ofSeconds(10), "hq up again", () -> fixture.account(exporter, "hq").up());

        long self = ProcessHandle.current().pid();
        Poll.until(Duration.ofSeconds(10), "no socket left connected to the broken upstream",
                () -> TcpSockets.connectedTo(self, broken.port()).isEmpty() && broken.connectionsOpenByClient() == 0);
    }

    @Test
    void endlessBodyIsCutAtTheCapLongBeforeTheTimeout() {
        String chunk = ApiAnswers.success(List.of(day("2026-11-26", 30)));
        upstream.behave(request -> Response.json(chunk).framed(Framing.ENDLESS));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(20), noRetry());

        Poll.until(Duration.ofSeconds(15), "the poll ended", () -> fixture.account(exporter, "hq").polled());
        assertThat(errors(exporter, "hq", FailureReason.MALFORMED)).isEqualTo(1);
        assertThat(errors(exporter, "hq", FailureReason.TIMEOUT)).isZero();
        // Whatever the socket buffers swallowed, the sender was stopped: far from the 20s of an unbounded read.
        Poll.until(Duration.ofSeconds(5), "the upstream noticed the hang-up",
                () -> upstream.maxConcurrentRequests() == 1 && upstream.bytesSent() > 0 && sentSettled());
        assertThat(upstream.bytesSent()).isLessThan(64L * 1024 * 1024);
    }

    private long lastBytes = -1;

    private boolean sentSettled() {
        long now = upstream.bytesSent();
        boolean settled = now == lastBytes;
        lastBytes = now;
        return settled;
    }

    @Test
    void onlyYesterdayAndTodayAreExposedAndMissingHoursStayMissing() {
        List<DailyUsage> days = new ArrayList<>();
        for (String date : List.of("2026-11-23", "2026-11-24", "2026-11-27", "2026-11-28", "2026-12-26")) {
            days.add(day(date, 99));
        }
        days.add(withoutHours(day("2026-11-25", 20), 0, 23));
        days.add(withoutHours(day("2026-11-26", 30), 3, 4, 7));
        Collections.shuffle(days, new Random(3));
        upstream.account("key-hq", SECRET, days);
        upstream.behave(request -> Response.json(shuffledHours(ApiAnswers.success(days))));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5), noRetry());
        Poll.until(Duration.ofSeconds(10), "hq up", () -> fixture.account(exporter, "hq").up());

        String metrics = fixture.metrics(exporter);
        List<String> series = metrics.lines().filter(l -> l.startsWith("crc_ports_max_usage{")).toList();
        assertThat(series).hasSize(22 + 8) // yesterday without 2 hours; today 00..10 without 3 hours
                .allMatch(l -> l.contains("date=\"2026-11-25\"") || l.contains("date=\"2026-11-26\""))
                .noneMatch(l -> l.contains("date=\"2026-11-25\",hour=\"00\"")
                        || l.contains("date=\"2026-11-25\",hour=\"23\""))
                .noneMatch(l -> l.contains("date=\"2026-11-26\",hour=\"03\"")
                        || l.contains("date=\"2026-11-26\",hour=\"07\""));
        assertThat(metrics.lines().filter(l -> l.startsWith("crc_ports_"))).noneMatch(l -> l.endsWith(" 99.0"));
        assertThat(metrics).contains(HQ + " 30.0")
                .contains("crc_ports_daily_max_usage{account=\"hq\",date=\"2026-11-25\"} 20.0");
    }

    private static DailyUsage withoutHours(DailyUsage day, Integer... hours) {
        List<Integer> drop = Arrays.asList(hours);
        return new DailyUsage(day.date(), day.hours().stream().filter(h -> !drop.contains(h.hour())).toList());
    }

    /** Reverses the hour entries of every day, so that order cannot matter. */
    private static String shuffledHours(String answer) {
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var root = json.readTree(answer);
            for (var dayNode : root.get("data")) {
                var hours = (com.fasterxml.jackson.databind.node.ArrayNode) dayNode.get("crc_ports_hour_usage");
                List<com.fasterxml.jackson.databind.JsonNode> list = new ArrayList<>();
                hours.forEach(list::add);
                Collections.reverse(list);
                hours.removeAll();
                hours.addAll(list);
            }
            return json.writeValueAsString(root);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
