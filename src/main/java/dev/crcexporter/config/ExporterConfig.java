package dev.crcexporter.config;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The whole validated configuration; built only by {@link ConfigLoader} (or by tests and the demo).
 *
 * @param apiUrl   the seed API's URL (systec accounts)
 * @param method   how systec accounts send their parameters
 * @param timezone the zone of every account that does not set its own
 * @param zoom     where Zoom accounts are polled
 */
public record ExporterConfig(
        URI apiUrl,
        RequestMethod method,
        ZoneId timezone,
        Duration pollInterval,
        Duration timeout,
        int concurrency,
        RetryConfig retry,
        List<AccountConfig> accounts,
        ZoomConfig zoom) {

    public static final URI DEFAULT_API_URL = URI.create("https://api.systeccloud.com/umeeting/share/crcUsage");
    public static final ZoneId DEFAULT_TIMEZONE = ZoneId.of("Asia/Shanghai");
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENCY = 8;

    public ExporterConfig {
        accounts = List.copyOf(accounts);
    }

    /** The same settings for other accounts (a shard's share of them, see {@link Shard#select}). */
    public ExporterConfig withAccounts(List<AccountConfig> selected) {
        return new ExporterConfig(apiUrl, method, timezone, pollInterval, timeout, concurrency, retry, selected, zoom);
    }

    /** The zone in which {@code account}'s dates and hours are read. */
    public ZoneId zoneOf(AccountConfig account) {
        return account.zone(timezone);
    }
}
