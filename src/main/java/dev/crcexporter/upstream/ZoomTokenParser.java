package dev.crcexporter.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crcexporter.config.Secret;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the answer of Zoom's token endpoint ({@code grant_type=account_credentials}):
 * {@code {"access_token": "...", "token_type": "bearer", "expires_in": 3600, "scope": "..."}}, or on failure
 * HTTP 400/401 with {@code {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}}. Anything
 * else is an {@link FailureReason#AUTH} failure too: the account cannot sign in. A message never quotes the token:
 * once read, it is masked, with the caller's secrets, in whatever of the answer a message or the scope quotes.
 */
final class ZoomTokenParser {
    /** RFC 6750's b64token: what may follow "Bearer " in a header. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** Zoom's tokens are JWTs of about a kilobyte; far past this is no token. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Longer lifetimes are read as this (Zoom's is an hour). */
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    /**
     * A token as issued.
     *
     * @param accessToken the bearer token
     * @param lifetime    {@code expires_in}, at most {@link #MAX_LIFETIME}
     * @param scope       the scopes granted, as Zoom lists them (may be empty)
     */
    record TokenAnswer(Secret accessToken, Duration lifetime, String scope) {}

    private ZoomTokenParser() {}

    static TokenAnswer parse(byte[] body, UnaryOperator<String> redact) throws UpstreamException {
        JsonNode root;
        try {
            root = new UsageJson(redact).object(body);
        } catch (UpstreamException e) {
            throw auth("the token answer: " + e.getMessage());
        }
        JsonNode token = root.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw auth("the token answer has no access_token");
        }
        if (token.asText().length() > MAX_TOKEN_CHARS || !BEARER_TOKEN.matcher(token.asText()).matches()) {
            // Never quoted: it may be the token itself.
            throw auth("the token answer's access_token is not a bearer token (" + token.asText().length()
                    + " characters)");
        }
        Secret accessToken = new Secret(token.asText());
        UsageJson json = new UsageJson(text -> accessToken.redact(redact.apply(text)));
        JsonNode type = root.get("token_type");
        if (type == null || !type.isTextual() || !type.asText().toLowerCase(Locale.ROOT).equals("bearer")) {
            throw auth("the token answer's token_type must be bearer (got " + json.shown(type) + ")");
        }
        JsonNode expiresIn = root.get("expires_in");
        if (expiresIn == null || !expiresIn.isIntegralNumber() || !expiresIn.canConvertToLong()
                || expiresIn.asLong() <= 0) {
            throw auth("the token answer's expires_in must be a positive number of seconds (got "
                    + json.shown(expiresIn) + ")");
        }
        Duration lifetime = Duration.ofSeconds(Math.min(expiresIn.asLong(), MAX_LIFETIME.toSeconds()));
        return new TokenAnswer(accessToken, lifetime, json.text(root, "scope"));
    }

    /**
     * A refusal as a message ends: {@code ": invalid_client: Invalid client_id or client_secret"}, or the body's
     * start.
     */
    static String errorText(byte[] body, UnaryOperator<String> redact) {
        return new UsageJson(redact).errorFields(body, "error", "reason")
                .filter(f -> !f.get(0).isEmpty() || !f.get(1).isEmpty())
                .map(f -> ": " + f.get(0) + (f.get(0).isEmpty() || f.get(1).isEmpty() ? "" : ": ") + f.get(1))
                .orElseGet(() -> HttpAnswers.bodyExcerpt(body, redact));
    }

    private static UpstreamException auth(String message) {
        return new UpstreamException(FailureReason.AUTH, message);
    }
}
