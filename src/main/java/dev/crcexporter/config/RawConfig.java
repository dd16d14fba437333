package dev.crcexporter.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The configuration file's shape as written; every field optional here so that validation can name what is
 * missing. The environment's single account is put in the same shape.
 */
record RawConfig(
        @JsonProperty("api_url") String apiUrl,
        @JsonProperty("method") String method,
        @JsonProperty("timezone") String timezone,
        @JsonProperty("poll_interval") String pollInterval,
        @JsonProperty("timeout") String timeout,
        @JsonProperty("concurrency") Integer concurrency,
        @JsonProperty("retry") RawRetry retry,
        @JsonProperty("zoom") RawZoom zoom,
        @JsonProperty("accounts") List<RawAccount> accounts) {

    record RawRetry(
            @JsonProperty("max_attempts") Integer maxAttempts,
            @JsonProperty("initial_backoff") String initialBackoff,
            @JsonProperty("max_backoff") String maxBackoff) {}

    record RawZoom(
            @JsonProperty("api_url") String apiUrl,
            @JsonProperty("oauth_url") String oauthUrl) {}

    record RawAccount(
            @JsonProperty("name") String name,
            @JsonProperty("source") String source,
            @JsonProperty("api_key") String apiKey,
            @JsonProperty("api_secret") String apiSecret,
            @JsonProperty("api_secret_file") String apiSecretFile,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret,
            @JsonProperty("client_secret_file") String clientSecretFile,
            @JsonProperty("capacity") Integer capacity,
            @JsonProperty("timezone") String timezone) {}
}
