package dev.crcexporter.metrics;

import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns the account snapshots into the metric families of the contract, at scrape time and from
 * memory only: a scrape never calls the API. Example output for one account:
 *
 * <pre>
 * crc_ports_max_usage{account="hq",date="2026-11-26",hour="09"} 31.0
 * crc_ports_total_usage{account="hq",date="2026-11-26",hour="09"} 58.0
 * crc_ports_current_max_usage{account="hq"} 31.0
 * crc_ports_recent_max_usage{account="hq"} 35.0
 * crc_ports_daily_max_usage{account="hq",date="2026-11-26"} 35.0
 * crc_ports_capacity{account="hq"} 40.0
 * crc_up{account="hq"} 1
 * crc_exporter_poll_errors_total{account="hq",reason="timeout"} 0.0
 * </pre>
 *
 * The window is applied again at every scrape, so at midnight yesterday's data disappears and today
 * becomes yesterday even when the next poll has not happened yet.
 */
public final class CrcMetrics implements MultiCollector {
    public static final String MAX_USAGE = "crc_ports_max_usage";
    public static final String TOTAL_USAGE = "crc_ports_total_usage";
    public static final String CURRENT_MAX_USAGE = "crc_ports_current_max_usage";
    public static final String RECENT_MAX_USAGE = "crc_ports_recent_max_usage";
    public static final String DAILY_MAX_USAGE = "crc_ports_daily_max_usage";
    public static final String CAPACITY = "crc_ports_capacity";
    public static final String UP = "crc_up";
    public static final String LAST_SUCCESS = "crc_exporter_last_success_timestamp_seconds";
    public static final String POLL_DURATION = "crc_exporter_poll_duration_seconds";
    /** Exposed as {@code crc_exporter_poll_errors_total}: client_java adds the counter suffix. */
    public static final String POLL_ERRORS = "crc_exporter_poll_errors";
    /** Exposed as {@code crc_exporter_build_info}: client_java adds the info suffix. */
    public static final String BUILD = "crc_exporter_build";
    /** Exposed as {@code crc_account_info}: client_java adds the info suffix. */
    public static final String ACCOUNT = "crc_account";

    private static final String CACHED = " Cached: refreshed from the CRC usage API once per poll interval.";
    static final String MAX_USAGE_HELP = "Peak number of concurrent CRC ports in use during the hour (API max_usage)."
            + " Date and hour are in the configured time zone; only yesterday and today." + CACHED;
    static final String TOTAL_USAGE_HELP = "Number of H.323/SIP connections through CRC during the hour (API total_usage),"
            + " a volume, not a concurrency." + CACHED;
    public static final String CURRENT_MAX_USAGE_HELP = "Peak number of concurrent CRC ports in use during the current hour"
            + " (API max_usage of the current hour in the configured zone); absent until the API reports that hour." + CACHED;
    static final String RECENT_MAX_USAGE_HELP = "The higher of the peak numbers of concurrent CRC ports in use during the"
            + " current and the previous hour (API max_usage, configured zone), among the hours the API has reported: present"
            + " as soon as either is, so a peak late in an hour stays visible after the hour boundary. The series saturation"
            + " alerts use." + CACHED;
    static final String DAILY_MAX_USAGE_HELP = "Highest hourly peak of concurrent CRC ports of the day so far." + CACHED;
    public static final String CAPACITY_HELP = "Purchased CRC ports of the account, as configured.";
    static final String UP_HELP = "1 if the last poll of the CRC usage API for this account succeeded, else 0.";
    static final String LAST_SUCCESS_HELP = "Unix time of the last successful poll of the CRC usage API for this account.";
    static final String POLL_DURATION_HELP = "Duration of the last poll of the CRC usage API for this account, retries included.";
    static final String POLL_ERRORS_HELP = "Failed requests to the CRC usage API (retries included), by reason;"
            + " reason internal counts polls that failed on an error inside crc-exporter (a bug), not the API's fault.";
    static final String ACCOUNT_HELP = "Constant 1 per account; source tells which API its usage comes from: systec"
            + " (the reseller's CRC usage API) or zoom (Zoom's own Dashboard API).";
    static final String BUILD_HELP = "Version of crc-exporter, its git revision and the Java version it runs on.";

    private final SnapshotStore store;
    private final Clock clock;
    /** The zone of accounts that do not set their own. */
    private final ZoneId zone;
    private final BuildInfo buildInfo;
    /** The families built for the last set of snapshots and window; reused while neither changes. */
    private volatile Built last;

    private record Built(List<AccountSnapshot> snapshots, Map<ZoneId, DateWindow> windows, MetricSnapshots families) {
        /** Same windows, and the very same snapshot objects (a poll always swaps in a new one). */
        boolean isFor(List<AccountSnapshot> current, Map<ZoneId, DateWindow> currentWindows) {
            if (!windows.equals(currentWindows) || snapshots.size() != current.size()) {
                return false;
            }
            for (int i = 0; i < current.size(); i++) {
                if (snapshots.get(i) != current.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    public CrcMetrics(SnapshotStore store, Clock clock, ZoneId zone, BuildInfo buildInfo) {
        this.store = store;
        this.clock = clock;
        this.zone = zone;
        this.buildInfo = buildInfo;
    }

    public CrcMetrics register(PrometheusRegistry registry) {
        registry.register(this);
        return this;
    }

    /**
     * Builds the families, or returns the ones built last time when no poll has happened and the hour is
     * the same: between polls every scrape would build the same thing, and with 1,000 accounts that is
     * most of a scrape's cost.
     */
    @Override
    public MetricSnapshots collect() {
        List<AccountSnapshot> snapshots = store.all();
        // Yesterday, today and the hour in every zone the accounts use: one clock reading for all of them.
        Instant now = clock.instant();
        Map<ZoneId, DateWindow> windows = new HashMap<>();
        windows.put(zone, DateWindow.at(now, zone));
        for (AccountSnapshot snapshot : snapshots) {
            windows.computeIfAbsent(snapshot.account().zone(zone), accountZone -> DateWindow.at(now, accountZone));
        }
        Built cached = last;
        if (cached != null && cached.isFor(snapshots, windows)) {
            return cached.families();
        }
        MetricSnapshots families = build(snapshots, windows);
        last = new Built(snapshots, windows, families);
        return families;
    }

    private MetricSnapshots build(List<AccountSnapshot> snapshots, Map<ZoneId, DateWindow> windows) {
        GaugeSnapshot.Builder maxUsage = GaugeSnapshot.builder().name(MAX_USAGE).help(MAX_USAGE_HELP);
        GaugeSnapshot.Builder totalUsage = GaugeSnapshot.builder().name(TOTAL_USAGE).help(TOTAL_USAGE_HELP);
        GaugeSnapshot.Builder currentMax = GaugeSnapshot.builder().name(CURRENT_MAX_USAGE).help(CURRENT_MAX_USAGE_HELP);
        GaugeSnapshot.Builder recentMax = GaugeSnapshot.builder().name(RECENT_MAX_USAGE).help(RECENT_MAX_USAGE_HELP);
        GaugeSnapshot.Builder dailyMax = GaugeSnapshot.builder().name(DAILY_MAX_USAGE).help(DAILY_MAX_USAGE_HELP);
        GaugeSnapshot.Builder capacity = GaugeSnapshot.builder().name(CAPACITY).help(CAPACITY_HELP);
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name(UP).help(UP_HELP);
        GaugeSnapshot.Builder lastSuccess = GaugeSnapshot.builder().name(LAST_SUCCESS).help(LAST_SUCCESS_HELP).unit(Unit.SECONDS);
        GaugeSnapshot.Builder pollDuration = GaugeSnapshot.builder().name(POLL_DURATION).help(POLL_DURATION_HELP).unit(Unit.SECONDS);
        CounterSnapshot.Builder pollErrors = CounterSnapshot.builder().name(POLL_ERRORS).help(POLL_ERRORS_HELP);
        InfoSnapshot.Builder accountInfo = InfoSnapshot.builder().name(ACCOUNT).help(ACCOUNT_HELP);

        for (AccountSnapshot snapshot : snapshots) {
            String account = snapshot.name();
            Labels accountLabel = Labels.of("account", account);
            DateWindow window = windows.get(snapshot.account().zone(zone));
            List<DailyUsage> days = window.select(snapshot.usage());
            for (DailyUsage day : days) {
                String date = day.date().toString();
                for (HourUsage hour : day.hours()) {
                    Labels labels = Labels.of("account", account, "date", date, "hour", hour.label());
                    maxUsage.dataPoint(gauge(labels, hour.maxUsage()));
                    totalUsage.dataPoint(gauge(labels, hour.totalUsage()));
                }
                OptionalLong peak = day.peak();
                if (peak.isPresent()) {
                    dailyMax.dataPoint(gauge(Labels.of("account", account, "date", date), peak.getAsLong()));
                }
            }
            window.currentMaxUsage(days).ifPresent(ports -> currentMax.dataPoint(gauge(accountLabel, ports)));
            window.recentMaxUsage(days).ifPresent(ports -> recentMax.dataPoint(gauge(accountLabel, ports)));
            snapshot.account().capacity().ifPresent(ports -> capacity.dataPoint(gauge(accountLabel, ports)));
            up.dataPoint(gauge(accountLabel, snapshot.up() ? 1 : 0));
            snapshot.lastSuccess().ifPresent(at -> lastSuccess.dataPoint(gauge(accountLabel, at.toEpochMilli() / 1000.0)));
            snapshot.lastDuration().ifPresent(took -> pollDuration.dataPoint(gauge(accountLabel, took.toNanos() / 1e9)));
            snapshot.errorCounts().forEach((reason, count) -> pollErrors.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("account", account, "reason", reason.label())).value(count).build()));
            accountInfo.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(Labels.of("account", account, "source", snapshot.account().source().label())).build());
        }
        InfoSnapshot build = InfoSnapshot.builder().name(BUILD).help(BUILD_HELP)
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(
                        "version", buildInfo.version(),
                        "revision", buildInfo.revision(),
                        "java_version", buildInfo.javaVersion())).build())
                .build();
        List<MetricSnapshot> families = new ArrayList<>(List.of(maxUsage.build(), totalUsage.build(), currentMax.build(),
                recentMax.build(), dailyMax.build(), capacity.build(), up.build(), lastSuccess.build(), pollDuration.build(),
                pollErrors.build(), accountInfo.build(), build));
        return new MetricSnapshots(families);
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return List.of(
                MetricFamilyDescriptor.gauge(MAX_USAGE).help(MAX_USAGE_HELP).labelNames("account", "date", "hour").build(),
                MetricFamilyDescriptor.gauge(TOTAL_USAGE).help(TOTAL_USAGE_HELP).labelNames("account", "date", "hour").build(),
                MetricFamilyDescriptor.gauge(CURRENT_MAX_USAGE).help(CURRENT_MAX_USAGE_HELP).labelNames("account").build(),
                MetricFamilyDescriptor.gauge(RECENT_MAX_USAGE).help(RECENT_MAX_USAGE_HELP).labelNames("account").build(),
                MetricFamilyDescriptor.gauge(DAILY_MAX_USAGE).help(DAILY_MAX_USAGE_HELP).labelNames("account", "date").build(),
                MetricFamilyDescriptor.gauge(CAPACITY).help(CAPACITY_HELP).labelNames("account").build(),
                MetricFamilyDescriptor.gauge(UP).help(UP_HELP).labelNames("account").build(),
                MetricFamilyDescriptor.gauge(LAST_SUCCESS).help(LAST_SUCCESS_HELP).unit(Unit.SECONDS).labelNames("account").build(),
                MetricFamilyDescriptor.gauge(POLL_DURATION).help(POLL_DURATION_HELP).unit(Unit.SECONDS).labelNames("account").build(),
                MetricFamilyDescriptor.counter(POLL_ERRORS).help(POLL_ERRORS_HELP).labelNames("account", "reason").build(),
                MetricFamilyDescriptor.info(ACCOUNT).help(ACCOUNT_HELP).labelNames("account", "source").build(),
                MetricFamilyDescriptor.info(BUILD).help(BUILD_HELP).labelNames("version", "revision", "java_version").build());
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

}
