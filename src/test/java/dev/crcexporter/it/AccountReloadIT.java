package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.web.ReloadTrigger.Outcome;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reload's accounts, against the fake APIs over loopback: what stays keeps its data, counters and round; what is new
 * or changed upstream (secret, key, zone, source, URL) starts afresh and is polled at once; what is removed is gone
 * at the next scrape; an invalid file or a restart-only change keeps the running accounts. Upstream request counts
 * show that no poll is lost or duplicated. Polls and retries in flight across a reload: {@link ReloadInFlightIT}; the
 * rounds of accounts that stay and a new poll interval, in the poller's own time: {@code PollerTest}.
 */
class AccountReloadIT extends AccountReloadFixture {
    @Test
    void postReloadKeepsWhatStaysRenewsWhatChangedPollsWhatIsNewAndDropsWhatIsRemoved() throws Exception {
        failFirstRequestOf("k-hq", "k-apac");
        Exporter exporter = start(config("", systec("hq", "k-hq", "s-hq", "capacity: 40"),
                systec("apac", "k-apac", "s-apac"),
                systec("emea", "k-emea", "s-emea"), systec("lat", "k-lat", "s-lat")));
        awaitUp(exporter, "hq", "apac", "emea", "lat");
        String before = metrics(exporter);
        assertThat(errors(before, "hq")).isEqualTo(1.0);
        assertThat(errors(before, "apac")).isEqualTo(1.0);
        assertThat(fixture.get(exporter, "/-/ready").statusCode()).isEqualTo(200);

        crc.account("k-apac", "s-apac-2", List.of(Days.peakingAtTen(DAY, 21)));
        Files.writeString(file, config("", systec("new", "k-new", "s-new"),
                systec("hq", "k-hq", "s-hq", "capacity: 48"), systec("apac", "k-apac", "s-apac-2"),
                systec("emea", "k-emea-2", "s-emea")));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port()
                + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("configuration reloaded: 4 account(s); added: new; removed: lat;"
                + " changed: hq (capacity), apac (api_secret), emea (api_key)\n");

        // Ready it was, ready it stays while the new accounts' first polls run.
        assertThat(fixture.get(exporter, "/-/ready").statusCode()).isEqualTo(200);
        // Removed at once; new and changed accounts are polled at once, as fresh accounts.
        assertThat(fixture.accounts(exporter).keySet()).containsExactlyInAnyOrder("new", "hq", "apac", "emea");
        awaitUp(exporter, "new", "apac", "emea");
        String after = metrics(exporter);
        assertThat(after).doesNotContain("account=\"lat\"");
        assertThat(value(after, "crc_ports_capacity{account=\"hq\"}")).isEqualTo(48.0);
        // hq kept its data and its counter, and was not polled again.
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"hq\",date=\"" + DAY + "\"}")).isEqualTo(12.0);
        assertThat(errors(after, "hq")).isEqualTo(1.0);
        // apac (new secret) and emea (new key) start from zero counters with their new upstream's data.
        assertThat(errors(after, "apac")).isEqualTo(0.0);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"apac\",date=\"" + DAY + "\"}")).isEqualTo(21.0);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"emea\",date=\"" + DAY + "\"}")).isEqualTo(33.0);
        assertThat(value(after, "crc_exporter_config_last_reload_successful")).isEqualTo(1.0);
        assertThat(Map.of("hq", crc.requestsFor("k-hq"), "apac", crc.requestsFor("k-apac"),
                "emea", crc.requestsFor("k-emea"), "emea-2", crc.requestsFor("k-emea-2"),
                "lat", crc.requestsFor("k-lat"), "new", crc.requestsFor("k-new")))
                .isEqualTo(Map.of("hq", 2L, "apac", 3L, "emea", 1L, "emea-2", 1L, "lat", 1L, "new", 1L));
        // The cards are the new file's accounts, worst first: none near its capacity, so by name (viewing the page
        // fetches the accounts' history: hence last).
        assertThat(fixture.landingPageCards(exporter).keySet()).containsExactly("apac", "emea", "hq", "new");
    }

    @Test
    void zoneSourceAndUrlChangesAreNewUpstreamWhileACapacityAloneKeepsTheZoomToken() throws Exception {
        FakeZoomApi zoomApi = fixture.closeLater(new FakeZoomApi(CLOCK));
        FakeCrcApi otherCrc = fixture.closeLater(new FakeCrcApi());
        otherCrc.account("k-hq", "s-hq", List.of(Days.peakingAtTen(DAY, 44)));
        for (String id : List.of("z1", "z2", "z3")) {
            zoomApi.account(id, "c-" + id, "cs-" + id, List.of(Days.peakingAtTen(DAY, 30)));
        }
        String zoomBlock = "zoom:\n  api_url: " + zoomApi.urls().apiUrl()
                + "\n  oauth_url: " + zoomApi.urls().oauthUrl() + "\n";
        Exporter exporter = start(config(zoomBlock, zoom("zm", "z1"), zoom("zm2", "z2", "capacity: 10"),
                systec("sw", "k-sw", "s-sw"), systec("hq", "k-hq", "s-hq")));
        awaitUp(exporter, "zm", "zm2", "sw", "hq");

        String moved = config(zoomBlock, zoom("zm", "z1", "timezone: Europe/Berlin"), zoom("zm2", "z2", "capacity: 12"),
                zoom("sw", "z3"), systec("hq", "k-hq", "s-hq"))
                .replace("api_url: " + crc.url(), "api_url: " + otherCrc.url());
        Outcome outcome = reload(exporter, moved);
        assertThat(outcome.message()).isEqualTo("configuration reloaded: 4 account(s); changed: zm (timezone),"
                + " zm2 (capacity), sw (source); settings: api_url");
        awaitUp(exporter, "zm", "sw", "hq");
        Poll.until(BOUND, "hq polled at its new URL", () -> otherCrc.requestsFor("k-hq") == 1);

        String after = metrics(exporter);
        assertThat(value(after, "crc_ports_capacity{account=\"zm2\"}")).isEqualTo(12.0);
        assertThat(value(after, "crc_ports_daily_max_usage{account=\"hq\",date=\"" + DAY + "\"}")).isEqualTo(44.0);
        assertThat(after).contains("crc_account_info{account=\"sw\",source=\"zoom\"");
        // zm: a new zone is a new account upstream (token and poll); zm2 kept its token and its round.
        assertThat(List.of(zoomApi.tokenRequests("z1"), zoomApi.metricsRequests("z1"))).containsExactly(2L, 2L);
        assertThat(List.of(zoomApi.tokenRequests("z2"), zoomApi.metricsRequests("z2"))).containsExactly(1L, 1L);
        assertThat(List.of(zoomApi.tokenRequests("z3"), zoomApi.metricsRequests("z3"))).containsExactly(1L, 1L);
        assertThat(List.of(crc.requestsFor("k-sw"), crc.requestsFor("k-hq"))).containsExactly(1L, 1L);
    }

    @Test
    void anInvalidFileOrARestartOnlyChangeKeepsTheRunningAccounts() throws Exception {
        Exporter exporter = start(config("", systec("hq", "k-hq", "s-hq", "capacity: 40"),
                systec("lat", "k-lat", "s-lat")));
        awaitUp(exporter, "hq", "lat");
        // A scrape now renders the accounts' part; a failed reload changes no account but must still show.
        assertThat(value(metrics(exporter), "crc_exporter_config_last_reload_successful")).isEqualTo(1.0);

        Outcome invalid = reload(exporter, config("", systec("hq", "k-hq", "s-hq", "capacity: -5"),
                systec("new", "k-new", "s-new")));
        assertThat(invalid.applied()).isFalse();
        assertThat(invalid.message()).contains("accounts[hq].capacity");
        Outcome restartOnly = reload(exporter, config("", systec("hq", "k-hq", "s-hq", "capacity: 48"),
                systec("new", "k-new", "s-new")).replace("timeout: 20s", "timeout: 5s").replace("poll_interval: 1h",
                "poll_interval: 1h\ntimezone: Europe/Berlin"));
        assertThat(restartOnly.applied()).isFalse();
        assertThat(restartOnly.message()).isEqualTo("reload failed, the running configuration stays:"
                + " timeout changed (20s to 5s), timezone changed (Asia/Shanghai to Europe/Berlin): needs a restart,"
                + " the rest of the file was not applied either");

        String after = metrics(exporter);
        assertThat(value(after, "crc_exporter_config_last_reload_successful")).isEqualTo(0.0);
        assertThat(value(after, "crc_ports_capacity{account=\"hq\"}")).isEqualTo(40.0);
        assertThat(value(after, "crc_up{account=\"lat\"}")).isEqualTo(1.0);
        assertThat(after).doesNotContain("account=\"new\"");
        assertThat(List.of(crc.requestsFor("k-hq"), crc.requestsFor("k-lat"), crc.requestsFor("k-new")))
                .containsExactly(1L, 1L, 0L);
    }
}
