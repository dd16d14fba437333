package dev.crcexporter.config;

import java.util.List;

/**
 * How an account signs in to its source. Records, so that equal credentials (secrets compare by value) mean the
 * same upstream identity; their {@code toString} shows no secret.
 */
public sealed interface Credentials {
    Source source();

    /** Every secret these credentials hold, for redaction. */
    List<Secret> secrets();

    /** The seed API's key and secret, sent with every request. */
    record Systec(String apiKey, Secret apiSecret) implements Credentials {
        @Override
        public Source source() {
            return Source.SYSTEC;
        }

        @Override
        public List<Secret> secrets() {
            return List.of(apiSecret);
        }
    }

    /** A Zoom Server-to-Server OAuth app: its account ID, client ID and client secret. */
    record Zoom(String accountId, String clientId, Secret clientSecret) implements Credentials {
        @Override
        public Source source() {
            return Source.ZOOM;
        }

        @Override
        public List<Secret> secrets() {
            return List.of(clientSecret);
        }
    }
}
