package dev.crcexporter.config;

import java.util.Locale;

/**
 * Which API an account's usage comes from; the {@code source} key of an account and the {@code source} label of
 * {@code crc_account_info}.
 */
public enum Source {
    /** The reseller's "CRC usage details" API (POST form with api_key and api_secret); the default. */
    SYSTEC,
    /** Zoom's own Dashboard API, {@code GET /v2/metrics/crc}, with a Server-to-Server OAuth token. */
    ZOOM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
