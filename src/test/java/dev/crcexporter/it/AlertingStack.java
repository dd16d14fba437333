package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.AlertmanagerServer;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.Ports;
import dev.crcexporter.testing.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The shipped alert rules and Alertmanager routing on the real Debian binaries, made fast for {@link EndToEndIT}: every
 * {@code for:} 5s, the hourly group evaluated every second, scrapes every second, webhooks to a dead loopback port.
 * One Prometheus scrapes the HA pair and alerts; another scrapes a single exporter and does not.
 */
final class AlertingStack {
    private static final Pattern FOR_LINE = Pattern.compile("(?m)^(\\s+)for: \\S+$");
    /** The hourly capacity-trend group, evaluated every second here so that its rules report their health. */
    private static final Pattern GROUP_INTERVAL_LINE = Pattern.compile("(?m)^(\\s+)interval: 1h$");

    final AlertmanagerServer alertmanager;
    /** Scrapes both exporters of the pair as two instances of job crc-exporter, alerting to {@link #alertmanager}. */
    final PrometheusServer pair;
    /** Scrapes one exporter alone, with the same rules, alerting nowhere. */
    final PrometheusServer single;

    private AlertingStack(AlertmanagerServer alertmanager, PrometheusServer pair, PrometheusServer single) {
        this.alertmanager = alertmanager;
        this.pair = pair;
        this.single = single;
    }

    static AlertingStack start(ExternalProcesses processes, Path dir, List<Integer> pairPorts, int singlePort)
            throws IOException, InterruptedException {
        Path rules = shortenedRules(processes, dir);
        Path amConfig = alertmanagerConfig(dir);
        AlertmanagerServer alertmanager = AlertmanagerServer.start(processes, amConfig,
                Files.createDirectories(dir.resolve("am-data")), dir.resolve("alertmanager.log"));
        PrometheusServer pair = prometheus(processes, dir, "prometheus-ha", rules, alertmanager.port(), pairPorts);
        PrometheusServer single = prometheus(processes, dir, "prometheus-single", rules, 0, List.of(singlePort));
        return new AlertingStack(alertmanager, pair, single);
    }

    /**
     * The shipped rules with every "for:" shortened to 5s and the hourly group evaluated every second; promtool
     * accepts them.
     */
    private static Path shortenedRules(ExternalProcesses processes, Path dir) throws IOException, InterruptedException {
        String rules = Files.readString(MonitoringAssetsIT.RULES);
        assertThat(FOR_LINE.matcher(rules).results().count()).as("`for:` lines rewritten = alerts")
                .isEqualTo(MonitoringAssetsIT.alerts().size());
        String fast = FOR_LINE.matcher(rules).replaceAll("$1for: 5s");
        assertThat(GROUP_INTERVAL_LINE.matcher(fast).results().count()).as("hourly groups").isEqualTo(1);
        fast = GROUP_INTERVAL_LINE.matcher(fast).replaceAll("$1interval: 1s");
        Path copy = dir.resolve("crc-exporter.rules.yml");
        Files.writeString(copy, fast);
        ExternalProcesses.Result check = processes.run(Duration.ofSeconds(60), "promtool", "check", "rules",
                copy.toString());
        assertThat(check.exitCode()).as("promtool check rules on the shortened copy:%n%s", check.output()).isZero();
        return copy;
    }

    /** The shipped routing and inhibitions, its webhooks sent to a loopback port nobody listens on. */
    private static Path alertmanagerConfig(Path dir) throws IOException {
        String shipped = Files.readString(Path.of("deploy/alertmanager.yml"));
        String local = shipped.replace("http://localhost:5001/", "http://127.0.0.1:" + Ports.free() + "/");
        assertThat(local).isNotEqualTo(shipped);
        return Files.writeString(dir.resolve("alertmanager.yml"), local);
    }

    /**
     * Prometheus scraping {@code exporterPorts} as job crc-exporter, with the rules, alerting to
     * {@code alertmanagerPort} if > 0.
     */
    private static PrometheusServer prometheus(ExternalProcesses processes, Path dir, String name, Path rules,
                                               int alertmanagerPort, List<Integer> exporterPorts) throws IOException {
        String targets = exporterPorts.stream().map(port -> "'127.0.0.1:" + port + "'")
                .collect(Collectors.joining(", "));
        String alerting = alertmanagerPort <= 0 ? "" : """
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ['127.0.0.1:%d']
                """.formatted(alertmanagerPort);
        Path config = Files.writeString(dir.resolve(name + ".yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                %sscrape_configs:
                  - job_name: crc-exporter
                    scrape_timeout: 1s
                    static_configs:
                      - targets: [%s]
                """.formatted(rules, alerting, targets));
        return PrometheusServer.start(processes, config, Files.createDirectories(dir.resolve(name + "-data")),
                dir.resolve(name + ".log"));
    }

    /** The last lines of the alerting Prometheus' and Alertmanager's logs, for failure messages. */
    String logs() {
        return pair.logTail() + alertmanager.logTail();
    }

    /**
     * Polls every 500 ms (these are real servers) while the alerting Prometheus and Alertmanager run; describes the
     * last state and the logs on failure.
     */
    <T> T await(Duration bound, String what, Supplier<T> probe, Predicate<T> done) {
        return Poll.until(bound, Duration.ofMillis(500), what, () -> {
            ExternalProcesses.assertAlive(alertmanager.process(), pair.process());
            return probe.get();
        }, done, this::logs);
    }
}
