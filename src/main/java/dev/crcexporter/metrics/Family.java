package dev.crcexporter.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.function.Supplier;

/**
 * One metric family of the contract and how each account contributes data points to it. A family is built for
 * all accounts at once (a scrape through client_java) or for a slice of them at a time ({@link CrcExposition}
 * streams large scrapes that way); either way each data point comes from the same emitter.
 */
final class Family {
    /** Receives the data points of one account. */
    interface Points {
        void add(Labels labels, double value);
    }

    /** Emits the data points of one account. */
    interface Emitter {
        void emit(AccountView account, Points points);
    }

    private enum Kind { GAUGE, COUNTER, INFO, ACCOUNT_INFO, FIXED }

    private final Kind kind;
    private final String name;
    private final String help;
    private final Unit unit;
    private final MetricFamilyDescriptor descriptor;
    private final int seriesPerAccount;
    private final Emitter emitter;
    private final Labels infoLabels;
    private final Supplier<MetricSnapshot> fixed;

    private Family(Kind kind, String name, String help, Unit unit, List<String> labelNames, int seriesPerAccount,
            Emitter emitter, Labels infoLabels) {
        this.kind = kind;
        this.name = name;
        this.help = help;
        this.unit = unit;
        this.seriesPerAccount = seriesPerAccount;
        this.emitter = emitter;
        this.infoLabels = infoLabels;
        this.fixed = null;
        String[] labels = labelNames.toArray(String[]::new);
        MetricFamilyDescriptor.Builder<?> builder = switch (kind) {
            case GAUGE -> MetricFamilyDescriptor.gauge(name);
            case COUNTER -> MetricFamilyDescriptor.counter(name);
            case INFO, ACCOUNT_INFO -> MetricFamilyDescriptor.info(name);
            case FIXED -> throw new IllegalArgumentException("a fixed family comes with its descriptor");
        };
        if (unit != null) {
            builder.unit(unit);
        }
        this.descriptor = builder.help(help).labelNames(labels).build();
    }

    /**
     * A gauge with up to {@code seriesPerAccount} series per account (an upper bound: it limits what a
     * filtered scrape may build, see {@link CrcMetrics#seriesBound}).
     */
    static Family gauge(String name, String help, Unit unit, List<String> labelNames, int seriesPerAccount, Emitter emitter) {
        return new Family(Kind.GAUGE, name, help, unit, labelNames, seriesPerAccount, emitter, null);
    }

    static Family counter(String name, String help, List<String> labelNames, int seriesPerAccount, Emitter emitter) {
        return new Family(Kind.COUNTER, name, help, null, labelNames, seriesPerAccount, emitter, null);
    }

    /** An info family with one series per account (the emitted value is ignored: an info series is 1). */
    static Family accountInfo(String name, String help, List<String> labelNames, Emitter emitter) {
        return new Family(Kind.ACCOUNT_INFO, name, help, null, labelNames, 1, emitter, null);
    }

    /** An info family with one series, whatever the accounts. */
    static Family info(String name, String help, Labels labels) {
        return new Family(Kind.INFO, name, help, null, labels.stream().map(Label::getName).toList(), 0, null, labels);
    }

    private Family(MetricFamilyDescriptor descriptor, Supplier<MetricSnapshot> snapshot) {
        this.kind = Kind.FIXED;
        this.name = descriptor.getPrometheusName();
        this.help = descriptor.getMetadata().getHelp();
        this.unit = descriptor.getMetadata().getUnit();
        this.descriptor = descriptor;
        this.seriesPerAccount = 0;
        this.emitter = null;
        this.infoLabels = null;
        this.fixed = snapshot;
    }

    /**
     * A family that does not depend on the accounts, built elsewhere ({@code snapshot} returns the same object while it
     * does not change: see {@link CrcMetrics.View}).
     */
    static Family fixed(MetricFamilyDescriptor descriptor, Supplier<MetricSnapshot> snapshot) {
        return new Family(descriptor, snapshot);
    }

    MetricFamilyDescriptor descriptor() {
        return descriptor;
    }

    /** The name the registry, {@code name[]} filters and the order of the exposition go by. */
    String prometheusName() {
        return descriptor.getPrometheusName();
    }

    /** False for a family that does not depend on the accounts: it is built once, not per slice of accounts. */
    boolean perAccount() {
        return kind != Kind.INFO && kind != Kind.FIXED;
    }

    /** At most this many series for {@code accounts} accounts. */
    long seriesBound(int accounts) {
        return perAccount() ? (long) seriesPerAccount * accounts : 1;
    }

    /** The family with the data points of {@code accounts} (client_java sorts them by labels). */
    MetricSnapshot build(List<AccountView> accounts) {
        return switch (kind) {
            case GAUGE -> {
                GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help).unit(unit);
                accounts.forEach(account -> emitter.emit(account, (labels, value) ->
                        family.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build())));
                yield family.build();
            }
            case COUNTER -> {
                CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help).unit(unit);
                accounts.forEach(account -> emitter.emit(account, (labels, value) ->
                        family.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build())));
                yield family.build();
            }
            case ACCOUNT_INFO -> {
                InfoSnapshot.Builder family = InfoSnapshot.builder().name(name).help(help);
                accounts.forEach(account -> emitter.emit(account, (labels, value) ->
                        family.dataPoint(InfoDataPointSnapshot.builder().labels(labels).build())));
                yield family.build();
            }
            case INFO -> InfoSnapshot.builder().name(name).help(help)
                    .dataPoint(InfoDataPointSnapshot.builder().labels(infoLabels).build()).build();
            case FIXED -> fixed.get();
        };
    }
}
