package dev.crcexporter.reload;

import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.Durations;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.Shard;
import dev.crcexporter.metrics.ReloadMetrics;
import dev.crcexporter.web.ReloadTrigger.Outcome;
import dev.crcexporter.web.toolkit.LiveWebConfig;
import dev.crcexporter.web.toolkit.WebConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code --config.file} and {@code --web.config.file} again and applies them, one reload at a time, only when
 * both are valid and can be applied; otherwise the running configuration stays, the reason is logged and answered,
 * and {@code crc_exporter_config_last_reload_successful} drops to 0; so too when the exporter could not answer the
 * scrapes of the new accounts within its heap. The served shard is selected again from every configuration read.
 * Callers go through {@link ReloadCoalescer}, which runs it on a thread of its own.
 */
public final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Reads the exporter's configuration again (the file, or the environment and its secret files). */
    @FunctionalInterface
    public interface ConfigSource {
        ExporterConfig load() throws ConfigException;
    }

    /** Reads the web configuration again ({@link WebConfig#NONE} without a file). */
    @FunctionalInterface
    public interface WebConfigSource {
        WebConfig load() throws ConfigException;
    }

    /** The running exporter's side: what is polled and exposed. */
    public interface Accounts {
        /** The configuration in force (the shard's part of it). */
        ExporterConfig current();

        /** Why the exporter cannot serve {@code next} (its scrapes would not fit the heap); empty when it can. */
        Optional<String> refusal(ExporterConfig next);

        /** Puts {@code next} in force; it is valid, and the shard is already selected. */
        void apply(ExporterConfig next);
    }

    private final ConfigSource configSource;
    private final WebConfigSource webSource;
    private final Optional<Shard> shard;
    private final LiveWebConfig web;
    private final Accounts accounts;
    private final ReloadMetrics gauges;
    private final Clock clock;

    public ConfigReloader(ConfigSource configSource, WebConfigSource webSource, Optional<Shard> shard,
            LiveWebConfig web, Accounts accounts, ReloadMetrics gauges, Clock clock) {
        this.configSource = configSource;
        this.webSource = webSource;
        this.shard = shard;
        this.web = web;
        this.accounts = accounts;
        this.gauges = gauges;
        this.clock = clock;
    }

    /** Reads, checks and applies both files now, on the caller's thread; {@code trigger} names who asked (log). */
    public synchronized Outcome reload(String trigger) {
        ExporterConfig loaded;
        WebConfig nextWeb;
        try {
            // Both read and checked before anything is applied: a reload applies both files or neither.
            loaded = configSource.load();
            nextWeb = webSource.load();
            web.check(nextWeb);
        } catch (ConfigException e) {
            return failed(trigger, e.getMessage());
        } catch (RuntimeException e) {
            return failed(trigger, "internal error " + e.getClass().getSimpleName() + " (a bug of crc-exporter)");
        }
        ExporterConfig next = shard.map(s -> s.select(loaded)).orElse(loaded);
        ExporterConfig running = accounts.current();
        AccountChanges changes = AccountChanges.between(running, next);
        Optional<String> refusal = restartOnly(running, next).or(() -> accounts.refusal(next));
        if (refusal.isPresent()) {
            return failed(trigger, refusal.get());
        }
        try {
            web.apply(nextWeb);
        } catch (ConfigException e) {
            return failed(trigger, e.getMessage());
        }
        accounts.apply(next);
        gauges.succeeded(clock.instant());
        String summary = changes.summary() + (shard.isPresent() && loaded.accounts().size() != next.accounts().size()
                ? " of " + loaded.accounts().size() + " configured (shard " + shard.get() + ")" : "");
        LOG.atInfo().setMessage("configuration reloaded")
                .addKeyValue("trigger", trigger)
                .addKeyValue("accounts", next.accounts().size())
                .addKeyValue("changes", summary)
                .addKeyValue("tls", nextWeb.tls().isPresent())
                .addKeyValue("basic_auth_users", nextWeb.basicAuthUsers().size())
                .log();
        return new Outcome(true, "configuration reloaded: " + summary);
    }

    /**
     * Settings a reload does not apply, with why: the timeout is built into the upstream HTTP client shared by every
     * account, and the top-level zone into the metrics' and the landing page's windows. Changing them half-way would
     * mix configurations, so the whole reload is refused and names them.
     */
    static Optional<String> restartOnly(ExporterConfig running, ExporterConfig next) {
        List<String> refused = new ArrayList<>();
        if (!running.timeout().equals(next.timeout())) {
            refused.add("timeout changed (" + Durations.format(running.timeout()) + " to "
                    + Durations.format(next.timeout()) + ")");
        }
        if (!running.timezone().equals(next.timezone())) {
            refused.add("timezone changed (" + running.timezone().getId() + " to " + next.timezone().getId() + ")");
        }
        return refused.isEmpty() ? Optional.empty()
                : Optional.of(String.join(", ", refused)
                        + ": needs a restart, the rest of the file was not applied either");
    }

    private Outcome failed(String trigger, String reason) {
        gauges.failed();
        LOG.atError().setMessage("reload failed: the running configuration stays")
                .addKeyValue("trigger", trigger)
                .addKeyValue("err", reason)
                .log();
        return new Outcome(false, "reload failed, the running configuration stays: " + reason);
    }
}
