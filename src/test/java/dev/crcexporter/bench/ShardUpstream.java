package dev.crcexporter.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.demo.DemoAccount;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FormData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The CRC usage API for the shard simulation (bench/shards.sh): accounts customer-0..customer-(N-1) with keys key-0..,
 * secret "bench-secret", answering instantly and counting the requests of every key. Run from the repository root:
 *   java -cp target/crc-exporter.jar src/test/java/dev/crcexporter/bench/ShardUpstream.java \
 *       N POLL_INTERVAL CONFIG_OUT PORT_OUT
 * It writes an exporter configuration for those accounts to CONFIG_OUT and its port to PORT_OUT, and answers
 *   GET /counts  "requests TOTAL", then "R K" lines: K keys were asked for exactly R times (R = 0 included);
 *                ?from=A&to=B counts keys key-A to key-(B-1) only
 *   GET /reset   forgets the counts
 */
public class ShardUpstream {
    private static final String PATH = "/umeeting/share/crcUsage";

    public static void main(String[] args) throws Exception {
        int accounts = Integer.parseInt(args[0]);
        String pollInterval = args[1];
        ZoneId zone = ZoneId.systemDefault();
        Clock clock = Clock.systemUTC();
        AtomicIntegerArray requests = new AtomicIntegerArray(accounts);

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext(PATH, exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                Map<String, String> params = FormData.decode(new String(body.readNBytes(64 * 1024),
                        StandardCharsets.UTF_8));
                String key = params.getOrDefault("api_key", "");
                int index = key.startsWith("key-") ? Integer.parseInt(key.substring(4)) : -1;
                if (index < 0 || index >= accounts || !"bench-secret".equals(params.get("api_secret"))) {
                    respond(exchange, ApiAnswers.error(401, "invalid api_key or api_secret"));
                    return;
                }
                requests.incrementAndGet(index);
                ZonedDateTime now = clock.instant().atZone(zone);
                DemoAccount account = new DemoAccount("customer-" + index, 40, 10 + index % 30, 0);
                LocalDate today = now.toLocalDate();
                List<DailyUsage> days = List.of(account.day(today.minusDays(1), 23, today),
                        account.day(today, now.getHour(), today));
                respond(exchange, ApiAnswers.success(days));
            }
        });
        server.createContext("/counts", exchange -> {
            try (exchange) {
                // ?from=A&to=B: keys key-A to key-(B-1) only
                Map<String, String> range = FormData.decode(String.valueOf(exchange.getRequestURI().getRawQuery()));
                int from = Integer.parseInt(range.getOrDefault("from", "0"));
                int to = Integer.parseInt(range.getOrDefault("to", Integer.toString(accounts)));
                Map<Integer, Integer> keysByCount = new TreeMap<>();
                long total = 0;
                for (int i = from; i < to; i++) {
                    int count = requests.get(i);
                    total += count;
                    keysByCount.merge(count, 1, Integer::sum);
                }
                StringBuilder text = new StringBuilder("requests ").append(total).append('\n');
                keysByCount.forEach((count, keys) -> text.append(count).append(' ').append(keys).append('\n'));
                respond(exchange, text.toString());
            }
        });
        server.createContext("/reset", exchange -> {
            try (exchange) {
                for (int i = 0; i < accounts; i++) {
                    requests.set(i, 0);
                }
                respond(exchange, "reset\n");
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + PATH;

        StringBuilder yaml = new StringBuilder()
                .append("api_url: ").append(url).append('\n')
                .append("timezone: ").append(zone.getId()).append('\n')
                .append("poll_interval: ").append(pollInterval).append("\ntimeout: 10s\nconcurrency: 8\n")
                .append("retry: {max_attempts: 1}\naccounts:\n");
        for (int i = 0; i < accounts; i++) {
            yaml.append("  - {name: customer-").append(i).append(", api_key: key-").append(i)
                    .append(", api_secret: bench-secret, capacity: 40}\n");
        }
        Files.writeString(Path.of(args[2]), yaml);
        Files.writeString(Path.of(args[3]), Integer.toString(server.getAddress().getPort()));
        System.out.println("shard upstream at " + url + " with " + accounts + " accounts");
        Thread.currentThread().join();
    }

    private static void respond(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", text.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
