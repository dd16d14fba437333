package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.BrokenHttpUpstream;
import dev.crcexporter.testing.BrokenHttpUpstream.Mode;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.TcpSockets;
import dev.crcexporter.testing.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broken HTTP answers of UpstreamFaultsIT, 60 polls each, against the packaged jar under the heap
 * limits of {@code deploy/jvm.options}: afterwards the heap after a full GC and the exporter's sockets are
 * back where they were before the first broken answer. The four modes run side by side, one exporter
 * process each, so that they add about 30 s to the suite rather than two minutes.
 */
class UpstreamResourceBoundsIT {
    private static final Path JAR = Path.of("target/crc-exporter.jar");
    private static final int BROKEN_POLLS = 60;
    /**
     * Heap after GC may differ by this much: a run's noise is at most a few hundred KB. Before issue 15 the JDK's
     * client kept one socket and 24 KB (invalid status line, 1xx flood) to 410 KB (oversized header block) per broken
     * answer: 60 sockets and 1.4 to 25 MB after 60 of them.
     */
    private static final long HEAP_MARGIN_BYTES = 1024L * 1024;
    /** A good poll under way, and a connection of this test's scrapes that lingers. */
    private static final int SOCKET_MARGIN = 2;
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();
    private final List<BrokenHttpUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.close();
        upstreams.forEach(BrokenHttpUpstream::close);
    }

    /** Heap used after a full GC (bytes), descriptors that are sockets, and sockets connected to the upstream. */
    record Footprint(long heapBytes, int sockets, int upstreamSockets) {
        @Override
        public String toString() {
            return String.format("heap after GC %.1f MiB, %d sockets (%d to the upstream)", heapBytes / 1048576.0,
                    sockets, upstreamSockets);
        }
    }

    /**
     * One mode's run: footprints, broken answers served, and the errors the exporter counted (all reasons, the
     * expected one).
     */
    record Outcome(Mode mode, Footprint before, Footprint after, int brokenAnswers, long errors,
                   long expectedReasonErrors) {}

    @Test
    void sixtyBrokenAnswersOfEachKindLeaveHeapAndSocketsWhereTheyWere() throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        List<Mode> modes = List.of(Mode.OVERSIZED_HEADER_BLOCK, Mode.INVALID_STATUS_LINE, Mode.INTERIM_1XX_FLOOD,
                Mode.ENDLESS_HEADERS);
        ExecutorService runs = Executors.newFixedThreadPool(modes.size());
        Map<Mode, Outcome> outcomes = new ConcurrentHashMap<>();
        try {
            List<Future<Outcome>> pending = new ArrayList<>();
            for (Mode mode : modes) {
                pending.add(runs.submit(() -> run(mode)));
            }
            for (Future<Outcome> run : pending) {
                Outcome outcome = run.get();
                outcomes.put(outcome.mode(), outcome);
            }
        } finally {
            runs.shutdownNow();
        }
        StringBuilder report = new StringBuilder("java " + Runtime.version() + ", " + BROKEN_POLLS
                + " broken answers each:\n");
        modes.forEach(m -> report.append(String.format("  %-24s before: %s%n  %-24s after:  %s%n", m,
                outcomes.get(m).before(), "", outcomes.get(m).after())));
        System.out.print(report);
        Files.writeString(Path.of("target", "upstream-resource-bounds.txt"), report);

        for (Outcome outcome : outcomes.values()) {
            assertThat(outcome.brokenAnswers()).as("%s: broken answers", outcome.mode())
                    .isGreaterThanOrEqualTo(BROKEN_POLLS);
            // Each broken answer is a failed poll; on a loaded machine some may time out before the JDK gives up on
            // them.
            assertThat(outcome.errors()).as("%s: failed polls", outcome.mode()).isGreaterThanOrEqualTo(BROKEN_POLLS);
            assertThat(outcome.expectedReasonErrors())
                    .as("%s: polls counted as %s", outcome.mode(), reason(outcome.mode()))
                    .isPositive();
            assertThat(outcome.after().heapBytes()).as("%s: heap after GC\n%s", outcome.mode(), report)
                    .isLessThanOrEqualTo(outcome.before().heapBytes() + HEAP_MARGIN_BYTES);
            // The exporter keeps polling (every 200 ms): one good poll may be under way as the sockets are counted.
            assertThat(outcome.after().upstreamSockets()).as("%s: sockets to the upstream\n%s", outcome.mode(), report)
                    .isLessThanOrEqualTo(1);
            assertThat(outcome.after().sockets()).as("%s: sockets\n%s", outcome.mode(), report)
                    .isLessThanOrEqualTo(outcome.before().sockets() + SOCKET_MARGIN);
        }
    }

    /** One exporter process against one broken upstream: good polls, then 60 broken ones, then good ones again. */
    private Outcome run(Mode mode) throws Exception {
        BrokenHttpUpstream upstream = new BrokenHttpUpstream();
        synchronized (upstreams) {
            upstreams.add(upstream);
        }
        // A poll every 200 ms; a request of ENDLESS_HEADERS ends at the 150 ms timeout. No retries: one request per
        // poll.
        Path config = Files.writeString(tmp.resolve(mode + ".yml"), """
                api_url: %s
                poll_interval: 200ms
                timeout: 150ms
                retry:
                  max_attempts: 1
                accounts:
                  - name: hq
                    api_key: key-hq
                    api_secret: bounds-secret
                """.formatted(upstream.url()));
        Path log = tmp.resolve(mode + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExternalProcesses.Server server = processes.startServer(log, Duration.ofSeconds(60),
                port -> List.of(java, "@deploy/jvm.options", "-jar", JAR.toString(), "--config.file=" + config,
                        "--web.listen-address=127.0.0.1:" + port),
                port -> Http.ok("http://127.0.0.1:" + port + "/-/healthy"));
        Process exporter = server.process();
        String metricsUrl = "http://127.0.0.1:" + server.port() + "/metrics";

        // Warm up: enough good polls that every class of the poll path is loaded and compiled as far as it goes.
        awaitAnswers(upstream, Mode.GOOD, 10, exporter, log);
        Footprint before = footprint(exporter, upstream);

        upstream.mode(mode);
        awaitAnswers(upstream, mode, BROKEN_POLLS, exporter, log);
        upstream.mode(Mode.GOOD);
        int goodSoFar = upstream.answered(Mode.GOOD);
        awaitAnswers(upstream, Mode.GOOD, goodSoFar + 3, exporter, log);
        Poll.until(Duration.ofSeconds(10), mode + ": crc_up back to 1",
                () -> metrics(metricsUrl).contains("crc_up{account=\"hq\"} 1.0"));
        String metrics = metrics(metricsUrl);

        Footprint after = footprint(exporter, upstream);
        ExternalProcesses.assertAlive(exporter);
        return new Outcome(mode, before, after, upstream.answered(mode), errors(metrics, null),
                errors(metrics, reason(mode)));
    }

    private static String reason(Mode mode) {
        return mode == Mode.ENDLESS_HEADERS ? "timeout" : "malformed";
    }

    private static void awaitAnswers(BrokenHttpUpstream upstream, Mode mode, int count, Process exporter, Path log) {
        Poll.until(Duration.ofSeconds(90), Duration.ofMillis(100), count + " answers " + mode, () -> {
            ExternalProcesses.assertAlive(exporter);
            return upstream.answered(mode);
        }, n -> n >= count, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 20));
    }

    /**
     * Heap after GC, once it has settled: the least heap used after each of four full collections, run by one jcmd
     * (a JVM start of its own each time would cost a second). What only a cleaner or an exiting thread still held (a
     * closed client's selector, say) is gone by the later ones.
     */
    private Footprint footprint(Process exporter, BrokenHttpUpstream upstream)
            throws IOException, InterruptedException {
        long pid = exporter.pid();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Path commands = Files.writeString(tmp.resolve("gc-" + pid + ".jcmd"), "GC.run\nGC.heap_info\n".repeat(4));
        ExternalProcesses.Result gc = processes.run(Duration.ofSeconds(60), jcmd, Long.toString(pid), "-f",
                commands.toString());
        assertThat(gc.exitCode()).as("jcmd: %s", gc.output()).isZero();
        long leastKb = Long.MAX_VALUE;
        for (String report : gc.output().split("(?m)^(?=.*(?:def new generation|DefNew))")) {
            long usedKb = 0;
            Matcher used = HEAP_USED.matcher(report);
            while (used.find()) {
                usedKb += Long.parseLong(used.group(1));
            }
            if (usedKb > 0) {
                leastKb = Math.min(leastKb, usedKb);
            }
        }
        assertThat(leastKb).as("heap used in: %s", gc.output()).isLessThan(Long.MAX_VALUE);
        return new Footprint(leastKb * 1024, TcpSockets.socketDescriptors(pid),
                TcpSockets.connectedTo(pid, upstream.port()).size());
    }

    private static String metrics(String url) {
        HttpResponse<String> response = Http.getOrNull(url);
        return response == null ? "" : response.body();
    }

    /** Failed requests of hq counted with {@code reason}, or with any reason when null. */
    private static long errors(String metrics, String reason) {
        String series = "crc_exporter_poll_errors_total{account=\"hq\",reason=\""
                + (reason == null ? "" : reason + "\"}");
        return ExporterFixture.samples(metrics).entrySet().stream().filter(sample -> sample.getKey().startsWith(series))
                .mapToLong(sample -> sample.getValue().longValue()).sum();
    }
}
