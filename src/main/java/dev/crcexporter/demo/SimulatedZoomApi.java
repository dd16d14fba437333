package dev.crcexporter.demo;

import com.sun.net.httpserver.HttpExchange;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for Zoom on loopback, for {@code --demo}: the Server-to-Server OAuth token endpoint ({@code POST
 * /oauth/token?grant_type=account_credentials&account_id=...} with HTTP Basic client ID and secret; tokens live an
 * hour) and "Get CRC port usage" ({@code GET /v2/metrics/crc?from=&to=} with the bearer token; {@code to}
 * inclusive, at most a month: a longer range has its {@code from} moved forward, as Zoom documents). The numbers
 * are the same working-day curve as {@link SimulatedCrcApi}'s, for any past month.
 */
public final class SimulatedZoomApi implements AutoCloseable {
    public static final String TOKEN_PATH = "/oauth/token";
    public static final String METRICS_PATH = "/v2/metrics/crc";
    private static final long TOKEN_SECONDS = 3600;

    private final Map<String, DemoAccount> accountsById;
    private final String clientId;
    private final String clientSecret;
    private final ZoneId zone;
    private final Clock clock;
    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    /** Issued tokens and their Zoom account ID and expiry. */
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();

    private record Issued(String accountId, Instant expires) {}

    public SimulatedZoomApi(Map<String, DemoAccount> accountsById, String clientId, String clientSecret, ZoneId zone,
            Clock clock) throws IOException {
        this.accountsById = Map.copyOf(accountsById);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.zone = zone;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(TOKEN_PATH, this::token);
        server.createContext(METRICS_PATH, this::metrics);
    }

    public SimulatedZoomApi start() {
        server.start();
        return this;
    }

    private String base() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public URI tokenUrl() {
        return URI.create(base() + TOKEN_PATH);
    }

    public URI metricsUrl() {
        return URI.create(base() + METRICS_PATH);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readNBytes(64 * 1024);
            Map<String, String> query = FormData.decode(exchange.getRequestURI().getRawQuery());
            String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                    .getBytes(StandardCharsets.UTF_8));
            if (!"POST".equals(exchange.getRequestMethod())
                    || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, ZoomAnswers.tokenError("invalid_client", "Invalid client_id or client_secret"));
            } else if (!"account_credentials".equals(query.get("grant_type"))
                    || !accountsById.containsKey(query.get("account_id"))) {
                respond(exchange, 400, ZoomAnswers.tokenError("invalid_request", "Invalid account_id or grant_type"));
            } else {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                tokens.values().removeIf(old -> !clock.instant().isBefore(old.expires()));
                tokens.put(token, new Issued(query.get("account_id"), clock.instant().plusSeconds(TOKEN_SECONDS)));
                respond(exchange, 200, ZoomAnswers.token(token, TOKEN_SECONDS, "dashboard_crc:read:admin"));
            }
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Issued issued = authorization == null || !authorization.startsWith("Bearer ") ? null
                    : tokens.get(authorization.substring("Bearer ".length()));
            if (issued == null || !clock.instant().isBefore(issued.expires())) {
                respond(exchange, 401, ZoomAnswers.error(124, "Invalid access token."));
                return;
            }
            Map<String, String> query = FormData.decode(exchange.getRequestURI().getRawQuery());
            LocalDate from;
            LocalDate to;
            try {
                from = LocalDate.parse(query.getOrDefault("from", ""));
                to = LocalDate.parse(query.getOrDefault("to", ""));
            } catch (DateTimeParseException e) {
                respond(exchange, 400, ZoomAnswers.error(300, "from and to must be yyyy-MM-dd"));
                return;
            }
            if (to.isBefore(from)) {
                respond(exchange, 400, ZoomAnswers.error(300, "The to date must be after the from date."));
                return;
            }
            // "We will report a maximum of one month": a longer range starts a month before to.
            LocalDate first = from.isBefore(to.minusMonths(1)) ? to.minusMonths(1) : from;
            DemoAccount account = accountsById.get(issued.accountId());
            ZonedDateTime now = clock.instant().atZone(zone);
            List<DailyUsage> days = new ArrayList<>();
            for (LocalDate date = first; !date.isAfter(to) && !date.isAfter(now.toLocalDate());
                    date = date.plusDays(1)) {
                days.add(account.day(date, date.equals(now.toLocalDate()) ? now.getHour() : 23, now.toLocalDate()));
            }
            respond(exchange, 200, ZoomAnswers.usage(first, to, days, ZoomAnswers.Style.DATE_TIME_AND_PLAIN_HOURS));
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
