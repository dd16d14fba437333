package dev.crcexporter.bench;

import com.sun.net.httpserver.HttpServer;
import dev.crcexporter.demo.DemoAccount;
import dev.crcexporter.demo.SimulatedCrcApi;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CRC usage API that answers instantly, for the benchmarks: accounts bench-0..bench-(N-1), keys
 * key-0.., secret "bench-secret". Run from the repository root:
 *   java -cp target/crc-exporter.jar src/test/java/dev/crcexporter/bench/FakeUpstream.java N CONFIG_OUT COUNT_OUT
 * It writes an exporter config for those accounts to CONFIG_OUT and keeps COUNT_OUT updated with the
 * number of requests it has answered.
 */
public class FakeUpstream {
    public static void main(String[] args) throws Exception {
        int accounts = Integer.parseInt(args[0]);
        Path config = Path.of(args[1]);
        Path count = Path.of(args[2]);
        ZoneId zone = ZoneId.systemDefault();
        Map<String, DemoAccount> byKey = new LinkedHashMap<>();
        for (int i = 0; i < accounts; i++) {
            byKey.put("key-" + i, new DemoAccount("bench-" + i, 40, 10 + i % 30, 0));
        }
        // The simulated API of --demo behind a server of ours that counts what it answers.
        SimulatedCrcApi api = new SimulatedCrcApi(byKey, "bench-secret", zone, Clock.systemUTC());
        AtomicLong requests = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(SimulatedCrcApi.PATH, exchange -> {
            requests.incrementAndGet();
            api.handle(exchange);
        });
        server.start();
        String url = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()
                + SimulatedCrcApi.PATH;
        StringBuilder yaml = new StringBuilder()
                .append("api_url: ").append(url).append('\n')
                .append("timezone: ").append(zone.getId()).append('\n')
                .append("poll_interval: 5m\ntimeout: 10s\nconcurrency: 8\naccounts:\n");
        for (int i = 0; i < accounts; i++) {
            yaml.append("  - {name: bench-").append(i).append(", api_key: key-").append(i)
                    .append(", api_secret: bench-secret, capacity: 40}\n");
        }
        Files.writeString(config, yaml);
        Executors.newSingleThreadScheduledExecutor().scheduleAtFixedRate(() -> {
            try {
                Files.writeString(count, Long.toString(requests.get()));
            } catch (Exception e) {
                System.err.println("cannot write " + count + ": " + e);
            }
        }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        System.out.println("fake upstream at " + url + " with " + accounts + " accounts");
        Thread.currentThread().join();
    }
}
