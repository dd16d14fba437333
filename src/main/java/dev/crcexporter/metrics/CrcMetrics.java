package dev.crcexporter.metrics;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.Shard;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import dev.crcexporter.upstream.HourUsage;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

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
 * The first two, with {@code date} and {@code hour}, are 96 of the 113 series of an account: without
 * {@code --collector.hourly} they are left out. The window is applied again at every scrape, so at midnight
 * yesterday's data disappears and today becomes yesterday even when the next poll has not happened yet.
 * Nothing built here is kept between scrapes.
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
    static final String TOTAL_USAGE_HELP = "Number of H.323/SIP connections through CRC during the hour"
            + " (API total_usage), a volume, not a concurrency." + CACHED;
    public static final String CURRENT_MAX_USAGE_HELP = "Peak number of concurrent CRC ports in use during the"
            + " current hour (API max_usage of the current hour in the configured zone); absent until the API"
            + " reports that hour." + CACHED;
    static final String RECENT_MAX_USAGE_HELP = "The higher of the peak numbers of concurrent CRC ports in use"
            + " during the current and the previous hour (API max_usage, configured zone), among the hours the API"
            + " has reported: present as soon as either is, so a peak late in an hour stays visible after the hour"
            + " boundary. The series saturation alerts use." + CACHED;
    static final String DAILY_MAX_USAGE_HELP = "Highest hourly peak of concurrent CRC ports of the day so far."
            + CACHED;
    public static final String CAPACITY_HELP = "Purchased CRC ports of the account, as configured.";
    static final String UP_HELP = "1 if the last poll of the CRC usage API for this account succeeded, else 0.";
    static final String LAST_SUCCESS_HELP = "Unix time of the last successful poll of the CRC usage API"
            + " for this account.";
    static final String POLL_DURATION_HELP = "Duration of the last poll of the CRC usage API for this account,"
            + " retries included.";
    static final String POLL_ERRORS_HELP = "Failed requests to the CRC usage API (retries included), by reason;"
            + " reason internal counts polls that failed on an error inside crc-exporter (a bug), not the API's fault.";
    static final String ACCOUNT_HELP = "Constant 1 per account; source tells which API its usage comes from: systec"
            + " (the reseller's CRC usage API) or zoom (Zoom's own Dashboard API).";
    static final String BUILD_HELP = "Version of crc-exporter, its git revision and the Java version it runs on.";

    /**
     * One family of the contract: its descriptor, at most how many series each account adds to it (0: one series
     * whatever the accounts), and how it is built for the accounts of a view.
     */
    private record Family(MetricFamilyDescriptor descriptor, int seriesPerAccount,
            Function<List<AccountView>, MetricSnapshot> build) {
        String name() {
            return descriptor.getPrometheusName();
        }
    }

    /** Receives the data points of one account. */
    private interface Points {
        void add(Labels labels, double value);
    }

    /** Emits the data points of one account. */
    private interface Emitter {
        void emit(AccountView account, Points points);
    }

    private final SnapshotStore store;
    private final Clock clock;
    /** The zone of accounts that do not set their own. */
    private final ZoneId zone;
    private final Optional<ReloadMetrics> reload;
    private final List<Family> families;
    /** The view of the last scrape; handed out again while no poll has swapped a snapshot and the hour is the same. */
    private volatile View last;

    /**
     * The accounts as one scrape sees them. The same object is handed out until a poll swaps a snapshot, a reload
     * ends, or the hour changes, so an answer rendered from it can be kept for exactly as long as it is current.
     */
    public static final class View {
        private final long version;
        /** The reload gauges' families as of this view (replaced whole by each reload, failed or not). */
        private final Object reloadState;
        private final Instant hourStart;
        private final Instant hourEnd;
        /** Sorted by name: the order of the {@code account} label in every family. */
        final List<AccountView> accounts;

        private View(long version, Object reloadState, List<AccountSnapshot> snapshots, Instant now,
                ZoneId defaultZone) {
            this.version = version;
            this.reloadState = reloadState;
            // Yesterday, today and the hour in every zone the accounts use, from one clock reading. The view holds
            // while the hour is the same in all of them (zones with half-hour offsets change hour at :30).
            Map<ZoneId, DateWindow> windows = new HashMap<>();
            Instant validFrom = Instant.MIN;
            Instant validUntil = Instant.MAX;
            for (ZoneId accountZone : zonesOf(snapshots, defaultZone)) {
                windows.put(accountZone, DateWindow.at(now, accountZone));
                ZonedDateTime hour = now.atZone(accountZone).truncatedTo(ChronoUnit.HOURS);
                validFrom = max(validFrom, hour.toInstant());
                validUntil = min(validUntil, hour.plusHours(1).toInstant());
            }
            this.hourStart = validFrom;
            this.hourEnd = validUntil;
            this.accounts = snapshots.stream().map(s -> AccountView.of(s, windows.get(s.account().zone(defaultZone))))
                    .sorted(Comparator.comparing(AccountView::name)).toList();
        }

        private static List<ZoneId> zonesOf(List<AccountSnapshot> snapshots, ZoneId defaultZone) {
            return Stream.concat(Stream.of(defaultZone),
                    snapshots.stream().map(s -> s.account().zone(defaultZone))).distinct().toList();
        }

        private static Instant max(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }

        private static Instant min(Instant a, Instant b) {
            return a.isBefore(b) ? a : b;
        }

        /** No poll since (the store's version), and the same hour in every zone: the windows are the same. */
        private boolean isFor(long currentVersion, Object currentReloadState, Instant now) {
            return version == currentVersion && reloadState == currentReloadState && !now.isBefore(hourStart)
                    && now.isBefore(hourEnd);
        }
    }

    /**
     * With {@code crc_exporter_shard_info} when the replica serves a {@code shard}, the {@code reload} gauges, and the
     * {@code {date,hour}} families when {@code hourly} ({@code --collector.hourly}).
     */
    public CrcMetrics(SnapshotStore store, Clock clock, ZoneId zone, BuildInfo buildInfo, Optional<Shard> shard,
            Optional<ReloadMetrics> reload, boolean hourly) {
        this.store = store;
        this.clock = clock;
        this.zone = zone;
        this.reload = reload;
        List<Family> all = new ArrayList<>(accountFamilies(hourly));
        all.add(info(BUILD, BUILD_HELP, Labels.of("version", buildInfo.version(), "revision", buildInfo.revision(),
                "java_version", buildInfo.javaVersion())));
        shard.ifPresent(s -> all.add(info(ShardInfo.NAME, ShardInfo.HELP, ShardInfo.labels(s))));
        this.families = List.copyOf(all);
    }

    public CrcMetrics register(PrometheusRegistry registry) {
        registry.register(this);
        return this;
    }

    /** At most this many series per account: 113 with the {@code {date,hour}} families, 17 without. */
    public static int seriesPerAccount(boolean hourly) {
        return accountFamilies(hourly).stream().mapToInt(Family::seriesPerAccount).sum();
    }

    /** The families of the contract that have series per account. */
    private static List<Family> accountFamilies(boolean hourly) {
        List<Family> families = new ArrayList<>();
        if (hourly) {
            families.add(gauge(MAX_USAGE, MAX_USAGE_HELP, null, 48, (a, points) -> eachHour(a, (date, hour) ->
                    points.add(Labels.of("account", a.name(), "date", date, "hour", hour.label()), hour.maxUsage()))));
            families.add(gauge(TOTAL_USAGE, TOTAL_USAGE_HELP, null, 48, (a, points) -> eachHour(a, (date, hour) ->
                    points.add(Labels.of("account", a.name(), "date", date, "hour", hour.label()),
                            hour.totalUsage()))));
        }
        families.addAll(List.of(
                gauge(CURRENT_MAX_USAGE, CURRENT_MAX_USAGE_HELP, null, 1, (a, points) ->
                        a.window().currentMaxUsage(a.days()).ifPresent(ports -> points.add(a.labels(), ports))),
                gauge(RECENT_MAX_USAGE, RECENT_MAX_USAGE_HELP, null, 1, (a, points) ->
                        a.window().recentMaxUsage(a.days()).ifPresent(ports -> points.add(a.labels(), ports))),
                gauge(DAILY_MAX_USAGE, DAILY_MAX_USAGE_HELP, null, 2, (a, points) -> {
                    for (DailyUsage day : a.days()) {
                        OptionalLong peak = day.peak();
                        if (peak.isPresent()) {
                            points.add(Labels.of("account", a.name(), "date", day.date().toString()), peak.getAsLong());
                        }
                    }
                }),
                gauge(CAPACITY, CAPACITY_HELP, null, 1, (a, points) ->
                        a.snapshot().account().capacity().ifPresent(ports -> points.add(a.labels(), ports))),
                gauge(UP, UP_HELP, null, 1, (a, points) -> points.add(a.labels(), a.snapshot().up() ? 1 : 0)),
                gauge(LAST_SUCCESS, LAST_SUCCESS_HELP, Unit.SECONDS, 1, (a, points) ->
                        a.snapshot().lastSuccess().ifPresent(at -> points.add(a.labels(), at.toEpochMilli() / 1000.0))),
                gauge(POLL_DURATION, POLL_DURATION_HELP, Unit.SECONDS, 1, (a, points) ->
                        a.snapshot().lastDuration().ifPresent(took -> points.add(a.labels(), took.toNanos() / 1e9))),
                counter(POLL_ERRORS, POLL_ERRORS_HELP, FailureReason.values().length, (a, points) ->
                        a.snapshot().errorCounts().forEach((reason, count) ->
                                points.add(Labels.of("account", a.name(), "reason", reason.label()), count))),
                accountInfo(ACCOUNT, ACCOUNT_HELP, (a, points) ->
                        points.add(Labels.of("account", a.name(), "source", a.snapshot().account().source().label()),
                                1))));
        return families;
    }

    private static Family gauge(String name, String help, Unit unit, int seriesPerAccount, Emitter emitter) {
        MetricFamilyDescriptor.Builder<?> descriptor = MetricFamilyDescriptor.gauge(name).help(help);
        if (unit != null) {
            descriptor.unit(unit);
        }
        return new Family(descriptor.build(), seriesPerAccount, accounts -> {
            GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help).unit(unit);
            accounts.forEach(account -> emitter.emit(account, (labels, value) ->
                    family.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build())));
            return family.build();
        });
    }

    private static Family counter(String name, String help, int seriesPerAccount, Emitter emitter) {
        return new Family(MetricFamilyDescriptor.counter(name).help(help).build(), seriesPerAccount, accounts -> {
            CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
            accounts.forEach(account -> emitter.emit(account, (labels, value) ->
                    family.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build())));
            return family.build();
        });
    }

    /** An info family with one series per account (the emitted value is ignored: an info series is 1). */
    private static Family accountInfo(String name, String help, Emitter emitter) {
        return new Family(MetricFamilyDescriptor.info(name).help(help).build(), 1, accounts -> {
            InfoSnapshot.Builder family = InfoSnapshot.builder().name(name).help(help);
            accounts.forEach(account -> emitter.emit(account, (labels, value) ->
                    family.dataPoint(InfoDataPointSnapshot.builder().labels(labels).build())));
            return family.build();
        });
    }

    /** An info family with one series, whatever the accounts. */
    private static Family info(String name, String help, Labels labels) {
        MetricSnapshot snapshot = InfoSnapshot.builder().name(name).help(help)
                .dataPoint(InfoDataPointSnapshot.builder().labels(labels).build()).build();
        return new Family(MetricFamilyDescriptor.info(name).help(help).build(), 0, accounts -> snapshot);
    }

    private interface HourAction {
        void accept(String date, HourUsage hour);
    }

    private static void eachHour(AccountView account, HourAction action) {
        for (DailyUsage day : account.days()) {
            String date = day.date().toString();
            for (HourUsage hour : day.hours()) {
                action.accept(date, hour);
            }
        }
    }

    /** The accounts as of now; the same object as last time while nothing changed. */
    public View view() {
        long version = store.version(); // before reading the snapshots: see SnapshotStore.version
        Object reloadState = reload.map(ReloadMetrics::collect).orElse(null);
        Instant now = clock.instant();
        View cached = last;
        if (cached != null && cached.isFor(version, reloadState, now)) {
            return cached;
        }
        View view = new View(version, reloadState, store.all(), now, zone);
        last = view;
        return view;
    }

    @Override
    public MetricSnapshots collect() {
        return collect(name -> true, null);
    }

    /** Builds only the families a {@code name[]} filter asks for. */
    @Override
    public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
        List<AccountView> accounts = view().accounts;
        List<MetricSnapshot> built = new ArrayList<>();
        for (Family family : families) {
            if (includedNames.test(family.name())) {
                built.add(family.build().apply(accounts));
            }
        }
        reload.ifPresent(gauges -> gauges.collect().stream()
                .filter(gauge -> includedNames.test(gauge.getMetadata().getPrometheusName())).forEach(built::add));
        return new MetricSnapshots(built);
    }

    /** At most this many series would be built for the families {@code includedNames} accepts. */
    public long seriesBound(Predicate<String> includedNames) {
        int accounts = store.slots().size();
        return families.stream().filter(f -> includedNames.test(f.name()))
                .mapToLong(f -> f.seriesPerAccount() == 0 ? 1 : (long) f.seriesPerAccount() * accounts).sum()
                + (reload.isPresent() ? 2 : 0);
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        List<MetricFamilyDescriptor> descriptors = new ArrayList<>(families.stream().map(Family::descriptor).toList());
        reload.ifPresent(gauges -> descriptors.addAll(gauges.getMetricFamilyDescriptors()));
        return descriptors;
    }
}
