package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The slow reader of issue 14: connections that pipeline many scrapes (or landing pages) and never read the answers.
 * Before, six of them held every server thread until the idle timeout and a normal scrape took 28 s. Now they cost a
 * connection each, until the idle timeout closes it, and nobody else waits for them.
 */
class SlowReaderIT {
    /** 23:30 in Shanghai: 48 reported hours per account. */
    private static final Instant NOW = Instant.parse("2026-11-26T15:30:00Z");
    private static final int ACCOUNTS = 64;
    private static final int SLOW_CONNECTIONS = 6;
    private static final int PIPELINED = 20;
    /** More than the server has threads (8, its acceptor and selector among them). */
    private static final int STALLED_PAGE_READERS = 12;
    /**
     * A scrape is answered within this, or it waited for the stalled connections: they hold what they hold until the
     * idle timeout (10 s) closes them. Far above any scrape of 64 accounts, even on a busy machine.
     */
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(5);

    private final ExporterFixture fixture = new ExporterFixture();
    private final List<Socket> slow = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Socket socket : slow) {
            socket.close();
        }
        fixture.close();
    }

    @Test
    void pipeliningReadersThatNeverReadDoNotDelayANormalScraper() throws Exception {
        Exporter exporter = fixture.startWithFullDays(fixture.closeLater(new FakeCrcApi()), ACCOUNTS,
                Clock.fixed(NOW, ZoneOffset.UTC));
        int answerBytes = fixture.metrics(exporter).length();
        assertThat(answerBytes).as("an answer too large for the socket buffers of a few requests")
                .isGreaterThan(300_000);

        byte[] requests = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(PIPELINED)
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < SLOW_CONNECTIONS; i++) {
            slow.add(stall(exporter, requests));
        }
        long stalledSince = System.nanoTime();

        scrapesAreAnsweredWhile(exporter, SLOW_CONNECTIONS + " connections stall on /metrics");

        // Each stalled connection is closed by the idle timeout (10 s): reading it afterwards gets what was sent
        // before, then the end, far short of the 20 answers it asked for. (Were it open, reading would get them all.)
        long waited = Duration.ofNanos(System.nanoTime() - stalledSince).toMillis();
        Thread.sleep(Math.max(0, Duration.ofMillis(12_500).toMillis() - waited));
        for (Socket socket : slow) {
            long received = drain(socket, Duration.ofSeconds(10));
            // What the kernel buffered before the server stalled (up to a few MB), not the 20 answers asked for.
            assertThat(received).as("bytes a stalled connection got before it was closed")
                    .isLessThan(PIPELINED / 2L * answerBytes);
        }
    }

    @Test
    void moreReadersOfTheLandingPageThanServerThreadsThatNeverReadDoNotStallScrapes() throws Exception {
        Exporter exporter = fixture.startWithFullDays(fixture.closeLater(new FakeCrcApi()), ACCOUNTS,
                Clock.fixed(NOW, ZoneOffset.UTC));
        int pageBytes = fixture.get(exporter, "/").body().length();
        assertThat(pageBytes).as("a page too large for the socket buffers of a few requests").isGreaterThan(100_000);

        byte[] requests = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(PIPELINED)
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < STALLED_PAGE_READERS; i++) {
            slow.add(stall(exporter, requests));
        }

        scrapesAreAnsweredWhile(exporter, STALLED_PAGE_READERS + " connections stall on the landing page");

        // The pages being sent are bounded (their memory is): others are asked to come back.
        HttpResponse<String> busy = fixture.get(exporter, "/");
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");

        // They did stall: the idle timeout closed each, far short of the pages it asked for. Each page is rendered
        // when its connection gets to it, so the last stalls began during the scrapes at the latest.
        Thread.sleep(Duration.ofMillis(12_500).toMillis());
        for (Socket socket : slow) {
            assertThat(drain(socket, Duration.ofSeconds(10))).as("bytes a stalled connection got before it was closed")
                    .isLessThan(PIPELINED / 2L * pageBytes);
        }
        assertThat(fixture.get(exporter, "/").statusCode()).as("the page once the stalled ones are closed")
                .isEqualTo(200);
    }

    /** A connection that sends {@code requests} and reads nothing: its receive buffer fills after a few KB. */
    private static Socket stall(Exporter exporter, byte[] requests) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), exporter.port()), 5000);
        socket.getOutputStream().write(requests);
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * Scrapes one after the other for a few seconds, each answered whole within {@link #ANSWERED_WITHIN}: none waits
     * for a thread or a buffer a stalled connection holds. (Not a latency: before the fix a scrape waited 28 s.)
     */
    private static void scrapesAreAnsweredWhile(Exporter exporter, String stalling) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + "/metrics"))
                .timeout(ANSWERED_WITHIN).build();
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (int scrapes = 0; scrapes < 20 || System.nanoTime() < until; scrapes++) {
            HttpResponse<String> response;
            try {
                response = http.send(scrape, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                throw new AssertionError("scrape " + (scrapes + 1) + " was not answered within " + ANSWERED_WITHIN
                        + " while " + stalling, e);
            }
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("crc_up{account=\"account-63\"} ").endsWith("\n");
        }
    }

    /** Reads until the server closes the connection; fails if it is still open after {@code bound}. */
    private static long drain(Socket socket, Duration bound) throws IOException {
        socket.setSoTimeout((int) bound.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the stalled connection was still open, " + total + " bytes read");
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stalled connection was still open after the idle timeout", e);
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return total;
    }
}
