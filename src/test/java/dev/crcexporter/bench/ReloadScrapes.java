package dev.crcexporter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scrape sees while the exporter reloads (bench/reload.sh): scrapes one after the other for SECONDS without
 * reloads, then for SECONDS while another thread reloads in a loop, switching the configuration file between A and B
 * (each reload is POST /-/reload after the file was replaced by a rename). Every scrape asks for OpenMetrics and is
 * checked: complete (ends with "# EOF"), the reload gauge 1, and its set of accounts exactly A's or B's, never a mix.
 *   java bench/ReloadScrapes.java BASE_URL LIVE_CONFIG CONFIG_A CONFIG_B SECONDS [PAUSE_MS between reloads, default 0]
 * Prints one line per phase: scrapes, latency median/p90/p99/max (ms), answers checked, inconsistent answers; and
 * for the reload phase the reloads done and their duration median/max (ms).
 */
public class ReloadScrapes {
    private static final Pattern UP = Pattern.compile("^crc_up\\{account=\"([^\"]+)\"\\}", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        Path live = Path.of(args[1]);
        Path configA = Path.of(args[2]);
        Path configB = Path.of(args[3]);
        Duration phase = Duration.ofSeconds(Long.parseLong(args[4]));
        long pauseMillis = args.length > 5 ? Long.parseLong(args[5]) : 0;
        Set<String> accountsA = accounts(Files.readString(configA));
        Set<String> accountsB = accounts(Files.readString(configB));

        Files.copy(configA, live, StandardCopyOption.REPLACE_EXISTING);
        reload(base);
        report("steady", scrapeFor(base, phase, accountsA, accountsB), List.of());

        AtomicBoolean stop = new AtomicBoolean();
        List<Long> reloadNanos = Collections.synchronizedList(new ArrayList<>());
        Thread reloader = new Thread(() -> {
            boolean toB = true;
            while (!stop.get()) {
                try {
                    Path tmp = live.resolveSibling(live.getFileName() + ".tmp");
                    Files.copy(toB ? configB : configA, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    long start = System.nanoTime();
                    reload(base);
                    reloadNanos.add(System.nanoTime() - start);
                    toB = !toB;
                    Thread.sleep(pauseMillis);
                } catch (Exception e) {
                    System.err.println("reload failed: " + e);
                    stop.set(true);
                }
            }
        }, "reloader");
        reloader.start();
        Result during = scrapeFor(base, phase, accountsA, accountsB);
        stop.set(true);
        reloader.join();
        report("reloading", during, reloadNanos);
        // Back to A, so that the caller finds a known configuration.
        Files.copy(configA, live, StandardCopyOption.REPLACE_EXISTING);
        reload(base);
        if (during.inconsistent > 0) {
            System.exit(1);
        }
    }

    private record Result(List<Long> nanos, int inconsistent, List<String> problems) {}

    private static Result scrapeFor(String base, Duration phase, Set<String> a, Set<String> b) throws Exception {
        List<Long> nanos = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int inconsistent = 0;
        long end = System.nanoTime() + phase.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").timeout(Duration.ofSeconds(30))
                .build();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            nanos.add(System.nanoTime() - start);
            String body = response.body();
            Set<String> seen = new TreeSet<>();
            Matcher up = UP.matcher(body);
            while (up.find()) {
                seen.add(up.group(1));
            }
            String problem = response.statusCode() != 200 ? "status " + response.statusCode()
                    : !body.endsWith("# EOF\n") ? "no # EOF at the end"
                    : !body.contains("\ncrc_exporter_config_last_reload_successful 1.0\n") ? "reload gauge not 1"
                    : !(seen.equals(a) || seen.equals(b)) ? "accounts neither A nor B (" + seen.size() + ")"
                    : null;
            if (problem != null) {
                inconsistent++;
                if (problems.size() < 5) {
                    problems.add(problem);
                }
            }
        }
        return new Result(nanos, inconsistent, problems);
    }

    private static void reload(String base) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST /-/reload: " + response.statusCode() + " " + response.body().trim());
        }
    }

    private static Set<String> accounts(String yaml) {
        Set<String> names = new TreeSet<>();
        Matcher name = Pattern.compile("name: ([A-Za-z0-9_.-]+)").matcher(yaml);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    private static void report(String phase, Result result, List<Long> reloads) {
        List<Long> sorted = new ArrayList<>(result.nanos);
        Collections.sort(sorted);
        StringBuilder line = new StringBuilder(String.format("%s\tscrapes %d\tmedian %.1f ms\tp90 %.1f ms\tp99 %.1f ms"
                        + "\tmax %.1f ms\tinconsistent %d", phase, sorted.size(), ms(sorted, 0.5), ms(sorted, 0.9),
                ms(sorted, 0.99), ms(sorted, 1.0), result.inconsistent));
        if (!reloads.isEmpty()) {
            List<Long> r = new ArrayList<>(reloads);
            Collections.sort(r);
            line.append(String.format("\treloads %d\treload median %.1f ms\treload max %.1f ms", r.size(), ms(r, 0.5),
                    ms(r, 1.0)));
        }
        result.problems.forEach(p -> line.append("\t").append(p));
        System.out.println(line);
    }

    private static double ms(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
