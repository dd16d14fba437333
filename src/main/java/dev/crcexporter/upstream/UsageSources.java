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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

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

    private volatile ExporterConfig config;
    private final Clock clock;
    private final BoundedExchange exchange;
    private final Map<Identity, UsageSource> sources = new ConcurrentHashMap<>();

    /** Sources for the accounts of {@code config}; one HTTP exchange with {@code config}'s timeout for all of them. */
    public UsageSources(ExporterConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.exchange = new BoundedExchange(config.timeout());
    }

    /** The source of {@code account} of the configuration in force (the last {@link #apply}'s). */
    public UsageSource of(AccountConfig account) {
        return of(config, account);
    }

    /**
     * The source of {@code account} of {@code configuration}: the same object for every call with an equal identity (a
     * reload's unchanged account keeps its token); a new one, built from the identity alone, for a changed one.
     */
    public UsageSource of(ExporterConfig configuration, AccountConfig account) {
        return sources.computeIfAbsent(Identity.of(configuration, account), this::build);
    }

    /**
     * Puts a reloaded configuration in force (its timeout is the running one: the exchange is not rebuilt) and drops
     * the sources of identities it no longer has, with what they hold (a Zoom token); a poll in flight keeps the
     * source it started with until it ends.
     */
    public void apply(ExporterConfig next) {
        config = next;
        Set<Identity> kept = next.accounts().stream().map(account -> Identity.of(next, account))
                .collect(Collectors.toSet());
        sources.keySet().retainAll(kept);
    }

    private UsageSource build(Identity identity) {
        if (identity.credentials() instanceof Credentials.Zoom credentials) {
            return new ZoomClient(exchange, (ZoomConfig) identity.endpoint(), clock)
                    .source(identity.account(), credentials);
        }
        SystecEndpoint endpoint = (SystecEndpoint) identity.endpoint();
        return new CrcUsageClient(exchange, endpoint.apiUrl(), endpoint.method(), clock)
                .source((Credentials.Systec) identity.credentials());
    }

    /** Closes the HTTP clients; an exchange still running finishes first. */
    @Override
    public void close() {
        exchange.close();
    }
}
