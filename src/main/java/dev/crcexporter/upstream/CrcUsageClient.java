package dev.crcexporter.upstream;

import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.Secret;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Calls the seed ("systec") CRC usage API: the one place that builds its request; it goes out through a
 * {@link BoundedExchange} and the body goes to {@link UsageParser}. Every failure comes back as an
 * {@link UpstreamException} with a reason and a message from which the secret has been removed.
 */
public final class CrcUsageClient {
    private final BoundedExchange exchange;
    private final URI apiUrl;
    private final RequestMethod method;
    private final Clock clock;

    public CrcUsageClient(BoundedExchange exchange, URI apiUrl, RequestMethod method, Clock clock) {
        this.exchange = exchange;
        this.apiUrl = apiUrl;
        this.method = method;
        this.clock = clock;
    }

    /** The usage of the account signing in with {@code credentials}. */
    public UsageSource source(Credentials.Systec credentials) {
        UnaryOperator<String> redact = credentials.apiSecret()::redact;
        return new UsageSource() {
            @Override
            public List<DailyUsage> fetch(LocalDate from, LocalDate toInclusive) throws UpstreamException {
                return CrcUsageClient.this.fetch(credentials, from, toInclusive);
            }

            @Override
            public UnaryOperator<String> redactor() {
                return redact;
            }
        };
    }

    /**
     * Asks for the days from {@code from} to {@code toInclusive}. The API page wants {@code to} after {@code from}
     * ("to query 12-01, use from=12-01 and to=12-02"), so the request's {@code to} is the day after; the answer may
     * still hold other days, so callers filter by date.
     */
    List<DailyUsage> fetch(Credentials.Systec credentials, LocalDate from, LocalDate toInclusive)
            throws UpstreamException {
        Secret secret = credentials.apiSecret();
        BoundedExchange.Answer response =
                exchange.send(request(credentials, from, toInclusive.plusDays(1)), secret::redact);
        int status = response.statusCode();
        if (status == 429) {
            Duration retryAfter = HttpAnswers.retryAfter(response.headers(), clock);
            throw new UpstreamException(FailureReason.RATE_LIMITED, "HTTP 429 Too Many Requests"
                    + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s"), retryAfter);
        }
        if (status < 200 || status > 299) {
            throw new UpstreamException(FailureReason.HTTP_STATUS,
                    "HTTP " + status + HttpAnswers.bodyExcerpt(response.body(), secret::redact));
        }
        // The parser masks the secret in whatever of the answer it quotes.
        return UsageParser.parse(response.body(), secret::redact);
    }

    private HttpRequest request(Credentials.Systec credentials, LocalDate from, LocalDate to) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("api_key", credentials.apiKey());
        parameters.put("api_secret", credentials.apiSecret().reveal());
        parameters.put("from", from.toString());
        parameters.put("to", to.toString());
        String form = FormData.encode(parameters);
        HttpRequest.Builder builder = HttpRequest.newBuilder().header("Accept", "application/json");
        if (method == RequestMethod.GET) {
            return builder.uri(URI.create(apiUrl + "?" + form)).GET().build();
        }
        return builder.uri(apiUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
    }
}
