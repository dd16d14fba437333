package dev.crcexporter.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FormData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A stand-in for the CRC usage API on loopback, for {@code --demo}: POST form or GET query with
 * {@code api_key}, {@code api_secret}, {@code from}, {@code to}; answers the documented JSON for any past range of
 * at most a month (so {@code report --demo} has months of history), days in shuffled order (the real API's order is
 * not to be trusted either), today only up to the current hour.
 */
public final class SimulatedCrcApi implements HttpHandler, AutoCloseable {
    public static final String PATH = "/umeeting/share/crcUsage";
    private static final int MAX_DAYS = 31;

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on, so a response's body waits for the client's delayed ACK
        // of its headers (about 40 ms a request). It reads the setting once, when its first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Map<String, DemoAccount> accountsByKey;
    private final String secret;
    private final ZoneId zone;
    private final Clock clock;
    /** Made by {@link #start()}; guarded by {@code this}. */
    private HttpServer server;

    public SimulatedCrcApi(Map<String, DemoAccount> accountsByKey, String secret, ZoneId zone, Clock clock) {
        this.accountsByKey = Map.copyOf(accountsByKey);
        this.secret = secret;
        this.zone = zone;
        this.clock = clock;
    }

    /** Serves {@link #PATH} on a loopback port of its own. */
    public synchronized SimulatedCrcApi start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, this);
        server.start();
        return this;
    }

    public synchronized URI url() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + PATH);
    }

    /** Answers one request (also behind another server, as the benchmarks' counting upstream does). */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params;
            if ("POST".equals(exchange.getRequestMethod())) {
                try (InputStream body = exchange.getRequestBody()) {
                    params = FormData.decode(new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8));
                }
            } else {
                params = FormData.decode(exchange.getRequestURI().getRawQuery());
            }
            respond(exchange, answer(params));
        }
    }

    private String answer(Map<String, String> params) {
        for (String name : List.of("api_key", "api_secret", "from", "to")) {
            if (params.getOrDefault(name, "").isEmpty()) {
                return ApiAnswers.error(400, "missing parameter " + name);
            }
        }
        DemoAccount account = accountsByKey.get(params.get("api_key"));
        if (account == null || !secret.equals(params.get("api_secret"))) {
            return ApiAnswers.error(401, "invalid api_key or api_secret");
        }
        LocalDate from;
        LocalDate to;
        try {
            from = LocalDate.parse(params.get("from"));
            to = LocalDate.parse(params.get("to"));
        } catch (DateTimeParseException e) {
            return ApiAnswers.error(400, "from and to must be yyyy-MM-dd");
        }
        if (!to.isAfter(from) || ChronoUnit.DAYS.between(from, to) > MAX_DAYS) {
            return ApiAnswers.error(400, "to must be after from, at most one month");
        }
        ZonedDateTime now = clock.instant().atZone(zone);
        List<DailyUsage> days = new ArrayList<>();
        for (LocalDate date = from; date.isBefore(to) && !date.isAfter(now.toLocalDate()); date = date.plusDays(1)) {
            days.add(account.day(date, date.equals(now.toLocalDate()) ? now.getHour() : 23, now.toLocalDate()));
        }
        Collections.shuffle(days, new Random(now.getHour()));
        return ApiAnswers.success(days);
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
