package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crcexporter.testing.ExternalProcesses;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped monitoring assets: alert rules and their promtool unit tests, the example Prometheus and
 * Alertmanager configurations (checked by the real promtool and amtool). The Grafana dashboard: {@link DashboardIT}.
 */
class MonitoringAssetsIT {
    static final Path RULES = Path.of("alerts/crc-exporter.rules.yml");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ExternalProcesses processes = new ExternalProcesses();

    @AfterEach
    void stop() {
        processes.close();
    }

    private void assertSucceeds(String... command) throws Exception {
        ExternalProcesses.Result result = processes.run(Duration.ofSeconds(60), command);
        assertThat(result.exitCode())
                .as("`%s` exit status; output:%n%s", String.join(" ", command), result.output())
                .isZero();
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        assertSucceeds("promtool", "check", "rules", RULES.toString());
    }

    /**
     * The promtool unit test files: the rules in general, the saturation alerts at the boundary, the capacity trend,
     * the last 30 days.
     */
    static List<String> unitTestFiles() throws IOException {
        try (var files = Files.list(Path.of("alerts/tests"))) {
            return files.map(Path::toString).filter(f -> f.endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void theUnitTestFilesAreFound() throws IOException {
        assertThat(unitTestFiles()).contains("alerts/tests/saturation-boundary.test.yml",
                "alerts/tests/capacity-trend.test.yml", "alerts/tests/last-30-days.test.yml");
    }

    /** One promtool per file, each bounded on its own: together they are some 20 s of CPU, a file at most 7. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unitTestFiles")
    void promtoolUnitTestsOfTheRulesPass(String file) throws Exception {
        assertSucceeds("promtool", "test", "rules", file);
    }

    /** Every alert is unit-tested: its name appears as an alertname of a promtool test. */
    @Test
    void everyAlertHasAPromtoolUnitTest() throws IOException {
        Set<String> tested = new LinkedHashSet<>();
        for (String file : unitTestFiles()) {
            for (JsonNode test : YAML.readTree(new java.io.File(file)).path("tests")) {
                test.path("alert_rule_test").forEach(t -> tested.add(t.path("alertname").asText()));
            }
        }
        assertThat(tested).containsAll(alerts().stream().map(a -> a.path("alert").asText()).toList());
    }

    /** Routing of the example Alertmanager configuration, as amtool computes it: labels, then the receiver. */
    @Test
    void alertmanagerRoutesOnlyServiceCrcAndPagesOnlyCritical() throws Exception {
        String[][] cases = {
                {"crc-pager", "service=crc", "severity=critical", "alertname=CrcPortsSaturated", "account=hq"},
                {"crc-pager", "service=crc", "severity=critical", "alertname=CrcExporterAbsent"},
                {"crc-pager", "service=crc", "severity=critical", "alertname=CrcExporterShardMissing",
                        "job=crc-exporter", "shards=10"},
                {"crc-team", "service=crc", "severity=warning", "alertname=CrcExporterDown", "instance=a:9877"},
                {"crc-team", "service=crc", "severity=warning", "alertname=CrcExporterConfigReloadFailed",
                        "instance=a:9877"},
                {"crc-team", "service=crc", "severity=warning", "alertname=CrcPortsNearlySaturated", "account=hq"},
                {"crc-low-priority", "service=crc", "severity=info", "alertname=CrcPortsSaturationForecast",
                        "account=hq"},
                // another service's alerts, even with the same names and severities, are not routed to crc's receivers
                {"default", "severity=critical", "alertname=CrcPortsSaturated", "account=hq"},
                {"default", "service=billing", "severity=critical", "alertname=InstanceDown"},
        };
        for (String[] c : cases) {
            List<String> command = new ArrayList<>(List.of("amtool", "config", "routes", "test",
                    "--config.file=deploy/alertmanager.yml"));
            command.addAll(List.of(c).subList(1, c.length));
            ExternalProcesses.Result result = processes.run(Duration.ofSeconds(60), command.toArray(String[]::new));
            assertThat(result.output().lines().filter(l -> !l.startsWith("Warning:")).map(String::strip).toList())
                    .as("receiver for %s", List.of(c).subList(1, c.length)).containsExactly(c[0]);
        }
    }

    @Test
    void examplePrometheusConfigAndItsGeneratedComposeCopyAreValid() throws Exception {
        assertSucceeds("promtool", "check", "config", "deploy/prometheus.yml");
        assertSucceeds("promtool", "check", "config", "deploy/compose/prometheus.yml");
    }

    @Test
    void exampleAlertmanagerConfigIsValid() throws Exception {
        assertSucceeds("amtool", "check-config", "deploy/alertmanager.yml");
    }

    // ------------------------------------------------------------------ alert rules

    /** Every alerting rule of the rules file. */
    static List<JsonNode> alerts() throws IOException {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.add(rule);
                }
            }
        }
        return alerts;
    }

    /** The page of the runbook, as the rules' runbook_url name it in the repository. */
    static final Path RUNBOOK = Path.of("docs/alerts.md");

    private static String runbookDocument() throws IOException {
        String text = Files.readString(RUNBOOK);
        assertThat(text.lines()).as("%s has a `## Runbook` section", RUNBOOK)
                .anyMatch(l -> l.strip().equals("## Runbook"));
        return text;
    }

    /** GitHub anchors of the {@code ###} headings of the runbook section. */
    private static Set<String> runbookAnchors(String document) {
        Set<String> anchors = new LinkedHashSet<>();
        boolean inRunbook = false;
        for (String line : document.lines().toList()) {
            if (line.startsWith("## ")) {
                inRunbook = line.strip().equals("## Runbook");
            } else if (inRunbook && line.startsWith("### ")) {
                String heading = line.substring(4).strip().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void everyAlertHasSeverityAnnotationsAndARunbookSection() throws IOException {
        List<JsonNode> alerts = alerts();
        assertThat(alerts).as("alerts in %s", RULES).isNotEmpty();
        Set<String> anchors = runbookAnchors(runbookDocument());
        List<String> problems = new ArrayList<>();
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            String severity = alert.path("labels").path("severity").asText("");
            if (!SEVERITIES.contains(severity)) {
                problems.add(name + ": severity must be one of " + SEVERITIES + ", is '" + severity + "'");
            }
            if (!"crc".equals(alert.path("labels").path("service").asText())) {
                problems.add(name + ": label service must be crc (deploy/alertmanager.yml routes on it)");
            }
            JsonNode annotations = alert.path("annotations");
            for (String annotation : List.of("summary", "description", "runbook_url")) {
                if (annotations.path(annotation).asText("").isBlank()) {
                    problems.add(name + ": annotation " + annotation + " missing");
                }
            }
            String runbook = annotations.path("runbook_url").asText("");
            if (!runbook.isBlank()) {
                String fragment = URI.create(runbook).getFragment();
                if (!URI.create(runbook).getPath().endsWith("/blob/main/" + RUNBOOK)) {
                    problems.add(name + ": runbook_url must point at " + RUNBOOK + ", is " + runbook);
                } else if (!name.toLowerCase(Locale.ROOT).equals(fragment)) {
                    problems.add(name + ": runbook_url fragment must be #" + name.toLowerCase(Locale.ROOT)
                            + ", is " + runbook);
                } else if (!anchors.contains(fragment)) {
                    problems.add(name + ": no `### " + name + "` heading under `## Runbook` (anchors: "
                            + anchors + ")");
                }
            }
        }
        assertThat(problems).as("alert rule problems").isEmpty();
    }

    @Test
    void saturationAlertsReadTheRecentSeriesAndKeepFiring() throws IOException {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        alerts().forEach(a -> byName.put(a.path("alert").asText(), a));
        for (String name : List.of("CrcPortsSaturated", "CrcPortsNearlySaturated")) {
            assertThat(byName).containsKey(name);
            assertThat(byName.get(name).path("keep_firing_for").asText()).as(name + " keep_firing_for").isEqualTo("1h");
        }
        assertThat(byName.get("CrcExporterDown").path("labels").path("severity").asText()).isEqualTo("warning");
        String rules = Files.readString(RULES);
        assertThat(rules)
                .contains("account:crc_ports_recent_max_usage:max / on (account) account:crc_ports_capacity:max");
        // crc_ports_current_max_usage has a gap at each hour boundary: no alert, and no rule of the group the alerts
        // read, uses it (the hourly 30-day rules do, for days loaded with backfill, which has nothing else)
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert") || group.path("name").asText().equals("crc-exporter.rules")) {
                    assertThat(rule.path("expr").asText()).as(rule.path("alert").asText(rule.path("record").asText()))
                            .doesNotContain("crc_ports_current_max_usage");
                }
            }
        }
    }
}
