package dev.crcexporter.upstream;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.ZoomConfig;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that chooses, per account, which API its usage comes from, for the daemon, backfill and report alike.
 * All sources send through one {@link BoundedExchange}. An account's source (with its upstream state: a Zoom
 * account's token) is built once per {@link Identity} and handed out again for an equal one, so that a reload can
 * keep what did not change.
 */
public final class UsageSources implements AutoCloseable {
    /**
     * What an account's upstream state depends on. A changed secret, URL, zone or source is a new identity, and so a
     * new source; the capacity, say, is not part of it.
     *
     * @param account     the account's name
     * @param credentials key and secret, or Zoom's account ID, client ID and secret (secrets compare by value)
     * @param zone        the zone its dates are read in
     * @param endpoint    {@link SystecEndpoint} or {@link ZoomConfig}
     */
    public record Identity(String account, Credentials credentials, ZoneId zone, Record endpoint) {
        public static Identity of(ExporterConfig config, AccountConfig account) {
            Record endpoint = switch (account.source()) {
                case SYSTEC -> new SystecEndpoint(config.apiUrl(), config.method());
                case ZOOM -> config.zoom();
            };
            return new Identity(account.name(), account.credentials(), config.zoneOf(account), endpoint);
        }
    }

    /** Where a systec account is polled, and how. */
    public record SystecEndpoint(URI apiUrl, RequestMethod method) {}

    private final ExporterConfig config;
    private final Clock clock;
    private final BoundedExchange exchange;
    private final CrcUsageClient systec;
    private final ZoomClient zoom;
    private final Map<Identity, UsageSource> sources = new ConcurrentHashMap<>();

    public UsageSources(ExporterConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.exchange = new BoundedExchange(config.timeout());
        this.systec = new CrcUsageClient(exchange, config.apiUrl(), config.method(), clock);
        this.zoom = new ZoomClient(exchange, config.zoom(), clock);
    }

    /** The source of {@code account}: the same object for every call with an equal identity. */
    public UsageSource of(AccountConfig account) {
        return sources.computeIfAbsent(Identity.of(config, account), identity -> identity.credentials()
                instanceof Credentials.Zoom credentials ? zoom.source(account.name(), credentials)
                : systec.source((Credentials.Systec) identity.credentials()));
    }

    /** Closes the HTTP clients; an exchange still running finishes first. */
    @Override
    public void close() {
        exchange.close();
    }
}
