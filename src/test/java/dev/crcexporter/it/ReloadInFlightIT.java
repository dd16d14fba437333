package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.Poll;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reload that overtakes a poll: nothing of a poll in flight for a removed or changed account reaches the new state.
 * Upstream request counts show that no poll is lost or duplicated. A retry pending across a reload (not sent) is
 * {@code PollerTest}'s, in the poller's own time.
 */
class ReloadInFlightIT extends AccountReloadFixture {
    @Test
    void aPollInFlightForARemovedOrChangedAccountWritesNothingIntoTheNewState() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        crc.behave(request -> {
            boolean held = "k-lat".equals(request.apiKey())
                    || "k-apac".equals(request.apiKey()) && "s-apac".equals(request.params().get("api_secret"));
            if (!held) {
                return crc.documentedAnswer(request);
            }
            try {
                release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // What the old configuration's poll brings back: must not be shown.
            return Response.json(dev.crcexporter.demo.ApiAnswers.success(List.of(Days.peakingAtTen(DAY, 99))));
        });
        LogCapture logs = fixture.closeLater(new LogCapture());
        Exporter exporter = start(config("", systec("hq", "k-hq", "s-hq"), systec("apac", "k-apac", "s-apac"),
                systec("lat", "k-lat", "s-lat"), systec("emea", "k-emea", "s-emea")));
        awaitUp(exporter, "hq", "emea");
        Poll.until(BOUND, "apac's and lat's polls held",
                () -> crc.requestsFor("k-apac") == 1 && crc.requestsFor("k-lat") == 1);

        crc.account("k-apac", "s-apac-2", List.of(Days.peakingAtTen(DAY, 21)));
        assertThat(reload(exporter, config("", systec("hq", "k-hq", "s-hq"), systec("apac", "k-apac", "s-apac-2"),
                systec("emea", "k-emea", "s-emea"), systec("new", "k-new", "s-new"))).applied()).isTrue();
        // The changed account is polled at once although its old poll still runs.
        awaitUp(exporter, "apac", "new");
        release.countDown();
        // A poll logs its success once it has stored it: here, where nothing reads any more.
        Poll.until(BOUND, "the old polls ended", () -> successes(logs, "apac") == 2 && successes(logs, "lat") == 1);

        String after = metrics(exporter);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"apac\",date=\"" + DAY + "\"}")).isEqualTo(21.0);
        assertThat(after).doesNotContain("account=\"lat\"");
        assertThat(List.of(crc.requestsFor("k-apac"), crc.requestsFor("k-lat"), crc.requestsFor("k-hq")))
                .containsExactly(2L, 1L, 1L);
        // The cards are the new file's accounts, worst first: no capacity to compare with, so by name (viewing the
        // page fetches the accounts' history: hence last).
        assertThat(fixture.landingPageCards(exporter).keySet()).containsExactly("apac", "emea", "hq", "new");
    }

    private static long successes(LogCapture logs, String account) {
        return logs.logfmtLines().stream()
                .filter(line -> line.contains("poll succeeded") && line.contains(" account=" + account + " ")).count();
    }
}
