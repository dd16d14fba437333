package dev.crcexporter.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.demo.ZoomAnswers;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FormData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Zoom as documented, on loopback port 0, for tests: the Server-to-Server OAuth token endpoint (checks the Basic
 * header, the grant type and the account ID; issues tokens that live {@link #tokenLifetime} on the given clock) and
 * "Get CRC port usage" (checks the bearer token: unknown or expired is 401 code 124; answers the days it was given,
 * in the order given, in the chosen {@link ZoomAnswers.Style}). It records every request and can be told to
 * misbehave on either endpoint.
 */
public final class FakeZoomApi implements AutoCloseable {
    public static final String TOKEN_PATH = "/oauth/token";
    public static final String METRICS_PATH = "/v2/metrics/crc";

    /** What arrived at either endpoint; {@code accountId} is the token's account for metrics requests. */
    public record Request(String path, String method, String authorization, Map<String, String> query, String accountId,
            long receivedNanos) {
        public boolean isToken() {
            return TOKEN_PATH.equals(path);
        }
    }

    private record Account(String clientId, String clientSecret, List<DailyUsage> days) {}

    private record Issued(String accountId, Instant expires) {}

    private final LoopbackHttpServer server;
    private final Clock clock;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequestsInFlight = new AtomicInteger();
    private final AtomicInteger maxTokenRequestsInFlight = new AtomicInteger();
    private final AtomicLong tokenCounter = new AtomicLong();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile ZoomAnswers.Style style = ZoomAnswers.Style.DATE_AND_PADDED_HOURS;
    private volatile Function<Request, Response> tokenBehaviour = this::documentedToken;
    private volatile Function<Request, Response> metricsBehaviour = this::documentedMetrics;

    /** @param clock decides when tokens expire */
    public FakeZoomApi(Clock clock) throws IOException {
        this.clock = clock;
        server = new LoopbackHttpServer("fake-zoom-api", Map.of(TOKEN_PATH, this::handle, METRICS_PATH, this::handle));
    }

    private String base() {
        return server.base();
    }

    /** The {@code zoom:} block that points at this fake. */
    public ZoomConfig urls() {
        return new ZoomConfig(URI.create(base() + METRICS_PATH), URI.create(base() + TOKEN_PATH));
    }

    /** Registers a Zoom account, its app's credentials and the days the API answers for it, in this order. */
    public FakeZoomApi account(String accountId, String clientId, String clientSecret, List<DailyUsage> days) {
        accounts.put(accountId, new Account(clientId, clientSecret, List.copyOf(days)));
        return this;
    }

    public FakeZoomApi tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    public FakeZoomApi style(ZoomAnswers.Style answerStyle) {
        this.style = answerStyle;
        return this;
    }

    /** Replaces the token endpoint's behaviour; {@link #documentedToken} is the default. */
    public void behaveToken(Function<Request, Response> behaviour) {
        this.tokenBehaviour = behaviour;
    }

    /** Replaces the metrics endpoint's behaviour; {@link #documentedMetrics} is the default. */
    public void behaveMetrics(Function<Request, Response> behaviour) {
        this.metricsBehaviour = behaviour;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long tokenRequests(String accountId) {
        return requests.stream().filter(r -> r.isToken() && accountId.equals(r.query().get("account_id"))).count();
    }

    public long metricsRequests(String accountId) {
        return requests.stream().filter(r -> !r.isToken() && accountId.equals(r.accountId())).count();
    }

    public long tokenRequests() {
        return requests.stream().filter(Request::isToken).count();
    }

    public long metricsRequests() {
        return requests.stream().filter(r -> !r.isToken()).count();
    }

    /** The most token requests that were being answered at the same time. */
    public int maxConcurrentTokenRequests() {
        return maxTokenRequestsInFlight.get();
    }

    /** Every access token issued so far. */
    public List<String> issuedTokens() {
        return List.copyOf(tokens.keySet());
    }

    /** The Basic header value of an app's credentials, as Zoom expects it. */
    public static String basic(String clientId, String clientSecret) {
        return Http.basic(clientId, clientSecret);
    }

    /** Like Zoom: a token for a known app and account, HTTP 401 invalid_client otherwise. */
    public Response documentedToken(Request request) {
        Account account = accounts.get(request.query().getOrDefault("account_id", ""));
        if (!"POST".equals(request.method()) || !"account_credentials".equals(request.query().get("grant_type"))) {
            return json(400, ZoomAnswers.tokenError("unsupported_grant_type", "Unsupported grant type"));
        }
        if (account == null || !basic(account.clientId(), account.clientSecret()).equals(request.authorization())) {
            return json(401, ZoomAnswers.tokenError("invalid_client", "Invalid client_id or client_secret"));
        }
        // Looks like a JWT: three base64url parts.
        String token = "eyJhbGciOiJIUzUxMiJ9." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                (request.query().get("account_id") + "-" + tokenCounter.incrementAndGet())
                        .getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        tokens.put(token, new Issued(request.query().get("account_id"), clock.instant().plus(tokenLifetime)));
        return json(200, ZoomAnswers.token(token, tokenLifetime.toSeconds(), "dashboard_crc:read:admin"));
    }

    /**
     * Like Zoom: 401 code 124 for an unknown or expired token (as of now, not of the arrival), else the account's
     * days.
     */
    public Response documentedMetrics(Request request) {
        String accountId = accountOf(request.authorization());
        if (accountId == null) {
            return json(401, ZoomAnswers.error(124, "Invalid access token."));
        }
        String from = request.query().getOrDefault("from", "");
        String to = request.query().getOrDefault("to", "");
        if (from.isEmpty() || to.isEmpty()) {
            return json(400, ZoomAnswers.error(300, "from and to are required"));
        }
        return json(200, ZoomAnswers.usage(LocalDate.parse(from), LocalDate.parse(to),
                accounts.get(accountId).days(), style));
    }

    /** The account of a valid token in {@code authorization}, or null (unknown, expired, not a bearer token). */
    private String accountOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        Issued issued = tokens.get(authorization.substring("Bearer ".length()));
        return issued == null || !clock.instant().isBefore(issued.expires()) ? null : issued.accountId();
    }

    public static Response json(int status, String body) {
        return new Response(status, Map.of("Content-Type", "application/json"), body, Duration.ZERO);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean token = TOKEN_PATH.equals(path);
            Request request = new Request(path, exchange.getRequestMethod(), authorization,
                    FormData.decode(exchange.getRequestURI().getRawQuery()), token ? null : accountOf(authorization),
                    System.nanoTime());
            requests.add(request);
            if (token) {
                maxTokenRequestsInFlight.accumulateAndGet(tokenRequestsInFlight.incrementAndGet(), Math::max);
            }
            try {
                FakeCrcApi.send(exchange, (token ? tokenBehaviour : metricsBehaviour).apply(request), n -> { });
            } finally {
                if (token) {
                    tokenRequestsInFlight.decrementAndGet();
                }
            }
        } catch (IOException e) {
            // the client gave up: nothing to do
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
