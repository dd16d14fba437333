package dev.crcexporter.upstream;

import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.upstream.ZoomTokenHolder.Token;
import dev.crcexporter.upstream.ZoomTokenParser.TokenAnswer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls Zoom's API for accounts with {@code source: zoom}: the one place that builds the token request
 * (Server-to-Server OAuth, {@code POST oauth_url?grant_type=account_credentials&account_id=...} with HTTP Basic
 * client ID and secret) and the metrics request ({@code GET api_url?from=&to=} with the bearer token; Zoom's
 * {@code to} is inclusive).
 * Both go out through the {@link BoundedExchange}; answers go to {@link ZoomTokenParser} and {@link ZoomUsageParser}.
 */
public final class ZoomClient {
    private static final Logger LOG = LoggerFactory.getLogger(ZoomClient.class);
    /** Scopes that allow "Get CRC port usage": the classic ones and the granular one, as the Marketplace names them. */
    static final Set<String> CRC_SCOPES = Set.of("dashboard_crc:read:admin", "dashboard:read:admin",
            "dashboard:read:crc_port_usage:admin");

    private final BoundedExchange exchange;
    private final ZoomConfig urls;
    private final Clock clock;

    public ZoomClient(BoundedExchange exchange, ZoomConfig urls, Clock clock) {
        this.exchange = exchange;
        this.urls = urls;
        this.clock = clock;
    }

    /** The usage of the Zoom account {@code account} (its label, for log lines), with a token holder of its own. */
    public UsageSource source(String account, Credentials.Zoom credentials) {
        return new AccountSource(account, credentials);
    }

    private final class AccountSource implements UsageSource {
        private final String account;
        private final Credentials.Zoom credentials;
        /** base64(client_id:client_secret): as secret as the secret itself, and masked as such. */
        private final Secret basic;
        private final ZoomTokenHolder tokens;
        private volatile boolean scopeWarned;

        AccountSource(String account, Credentials.Zoom credentials) {
            this.account = account;
            this.credentials = credentials;
            this.basic = new Secret(Base64.getEncoder().encodeToString((credentials.clientId() + ":"
                    + credentials.clientSecret().reveal()).getBytes(StandardCharsets.UTF_8)));
            this.tokens = new ZoomTokenHolder(this::requestToken, clock);
        }

        @Override
        public List<DailyUsage> fetch(LocalDate from, LocalDate toInclusive) throws UpstreamException {
            Token token = tokens.get();
            BoundedExchange.Answer response = exchange.send(metricsRequest(token, from, toInclusive), redactor(token));
            if (response.statusCode() == 401) {
                // Expired or revoked: one new token, one more try. A second 401 is not the token's age.
                LOG.atInfo().setMessage("Zoom refused the access token; asking for a new one and trying once more")
                        .addKeyValue("account", account)
                        .addKeyValue("err", "HTTP 401" + ZoomUsageParser.errorText(response.body(), redactor(token)))
                        .log();
                tokens.drop(token);
                token = tokens.get();
                response = exchange.send(metricsRequest(token, from, toInclusive), redactor(token));
                if (response.statusCode() == 401) {
                    throw new UpstreamException(FailureReason.AUTH, "HTTP 401 with a newly issued token"
                            + ZoomUsageParser.errorText(response.body(), redactor(token))
                            + " (does the app have the scope dashboard_crc:read:admin"
                            + " or dashboard:read:crc_port_usage:admin?)");
                }
            }
            return answer(response, redactor(token));
        }

        private HttpRequest metricsRequest(Token token, LocalDate from, LocalDate toInclusive) {
            return HttpRequest.newBuilder(URI.create(urls.apiUrl() + "?from=" + from + "&to=" + toInclusive))
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + token.value().reveal())
                    .GET().build();
        }

        private List<DailyUsage> answer(BoundedExchange.Answer response, UnaryOperator<String> redact)
                throws UpstreamException {
            int status = response.statusCode();
            if (status == 429) {
                Duration retryAfter = HttpAnswers.retryAfter(response.headers(), clock);
                String type = response.headers().firstValue("X-RateLimit-Type")
                        .map(t -> " (" + HttpAnswers.printable(redact.apply(t)) + ")").orElse("");
                throw new UpstreamException(FailureReason.RATE_LIMITED, "HTTP 429 Too Many Requests" + type
                        + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s")
                        + ZoomUsageParser.errorText(response.body(), redact), retryAfter);
            }
            if (status != 200) {
                throw new UpstreamException(FailureReason.HTTP_STATUS,
                        "HTTP " + status + ZoomUsageParser.errorText(response.body(), redact));
            }
            return ZoomUsageParser.parse(response.body(), redact);
        }

        /** One token request; only ever called by the holder, one at a time. */
        private TokenAnswer requestToken() throws UpstreamException {
            UnaryOperator<String> redact = redactor(null);
            HttpRequest request = HttpRequest.newBuilder(URI.create(urls.oauthUrl()
                            + "?grant_type=account_credentials&account_id="
                            + URLEncoder.encode(credentials.accountId(), StandardCharsets.UTF_8)))
                    .header("Accept", "application/json")
                    .header("Authorization", "Basic " + basic.reveal())
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            BoundedExchange.Answer response;
            try {
                response = exchange.send(request, redact);
            } catch (UpstreamException e) {
                // The token endpoint could not be reached: the transport's own reason, said to be the token's.
                throw new UpstreamException(e.reason(), "token request: " + e.getMessage(),
                        e.retryAfter().orElse(null));
            }
            int status = response.statusCode();
            if (status == 429) {
                Duration retryAfter = HttpAnswers.retryAfter(response.headers(), clock);
                throw new UpstreamException(FailureReason.RATE_LIMITED, "token request: HTTP 429 Too Many Requests"
                        + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s"), retryAfter);
            }
            if (status != 200) {
                throw new UpstreamException(FailureReason.AUTH, "token request refused: HTTP " + status
                        + ZoomTokenParser.errorText(response.body(), redact));
            }
            TokenAnswer answer = ZoomTokenParser.parse(response.body(), Secret.redactor(List.of(
                    credentials.clientSecret(), basic)));
            LOG.atDebug().setMessage("Zoom access token issued").addKeyValue("account", account)
                    .addKeyValue("expires_in", answer.lifetime().toSeconds()).log();
            warnOnceWithoutCrcScope(answer.scope());
            return answer;
        }

        /** A token without any scope that "Get CRC port usage" accepts will be refused: said once, before it is. */
        private void warnOnceWithoutCrcScope(String scope) {
            if (scope.isBlank() || scopeWarned) {
                return;
            }
            boolean granted = List.of(scope.split("[\\s,]+")).stream().anyMatch(CRC_SCOPES::contains);
            if (!granted) {
                scopeWarned = true;
                LOG.atWarn().setMessage("the Zoom app's token has none of the scopes that Get CRC port usage needs;"
                                + " add dashboard_crc:read:admin (or the granular dashboard:read:crc_port_usage:admin)"
                                + " to the app")
                        .addKeyValue("account", account).addKeyValue("scope", scope).log();
            }
        }

        @Override
        public UnaryOperator<String> redactor() {
            return redactor(null);
        }

        /** Masks the client secret, the Basic value, the token in use and {@code token} (the one a request carried). */
        private UnaryOperator<String> redactor(Token token) {
            List<Secret> secrets = new ArrayList<>(List.of(credentials.clientSecret(), basic));
            Secret current = tokens == null ? null : tokens.currentValue();
            if (current != null) {
                secrets.add(current);
            }
            if (token != null && !token.value().equals(current)) {
                secrets.add(token.value());
            }
            return Secret.redactor(secrets);
        }
    }
}
