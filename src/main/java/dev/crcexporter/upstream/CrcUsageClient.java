package dev.crcexporter.upstream;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.RequestMethod;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Calls the CRC usage API: the one place that builds the request; it goes out through a
 * {@link BoundedExchange} and the body goes to {@link UsageParser}. Every failure comes back as an
 * {@link UpstreamException} with a reason and a message from which the secret has been removed.
 */
public final class CrcUsageClient implements AutoCloseable {
    private static final int MAX_ERROR_BODY_CHARS = 120;

    private final BoundedExchange exchange;
    private final URI apiUrl;
    private final RequestMethod method;
    private final Clock clock;

    public CrcUsageClient(URI apiUrl, RequestMethod method, Duration timeout, Clock clock) {
        this.apiUrl = apiUrl;
        this.method = method;
        this.clock = clock;
        this.exchange = new BoundedExchange(timeout);
    }

    /**
     * Asks for the days from {@code from} to {@code to}. Per the API page, {@code to} must be after
     * {@code from} ("to query 12-01, use from=12-01 and to=12-02"); the answer may still hold other days,
     * so callers filter by date.
     */
    public List<DailyUsage> fetch(AccountConfig account, LocalDate from, LocalDate to) throws UpstreamException {
        HttpResponse<byte[]> response = exchange.send(request(account, from, to), account.apiSecret()::redact);
        return answer(response, account);
    }

    private HttpRequest request(AccountConfig account, LocalDate from, LocalDate to) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("api_key", account.apiKey());
        parameters.put("api_secret", account.apiSecret().reveal());
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

    private List<DailyUsage> answer(HttpResponse<byte[]> response, AccountConfig account) throws UpstreamException {
        int status = response.statusCode();
        if (status == 429) {
            Duration retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
            throw new UpstreamException(FailureReason.RATE_LIMITED, "HTTP 429 Too Many Requests"
                    + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s"), retryAfter);
        }
        if (status < 200 || status > 299) {
            throw new UpstreamException(FailureReason.HTTP_STATUS,
                    "HTTP " + status + bodyExcerpt(response.body(), account.apiSecret()::redact));
        }
        // The parser masks the secret in whatever of the answer it quotes.
        return UsageParser.parse(response.body(), account.apiSecret()::redact);
    }

    /** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
    private Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** The start of an error body, one line; redacted before it is cut, so no part of a secret survives the cut. */
    private static String bodyExcerpt(byte[] body, UnaryOperator<String> redact) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = redact.apply(new String(body, StandardCharsets.UTF_8)).replaceAll("\\s+", " ").trim();
        if (text.length() > MAX_ERROR_BODY_CHARS) {
            text = text.substring(0, MAX_ERROR_BODY_CHARS) + "...";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    /** Closes the HTTP client; a request still running finishes first. */
    @Override
    public void close() {
        exchange.close();
    }
}
