package dev.crcexporter.deploy;

import static dev.crcexporter.deploy.DeployFiles.DEPLOY;
import static dev.crcexporter.deploy.DeployFiles.defaultPort;
import static dev.crcexporter.deploy.DeployFiles.document;
import static dev.crcexporter.deploy.DeployFiles.names;
import static dev.crcexporter.deploy.DeployFiles.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crcexporter.web.toolkit.ListenAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker-compose.yml agrees with the files it mounts and with the exporter: every mount exists, Prometheus
 * finds the rules and scrapes the stack's services, Grafana gets the dashboard and a datasource on Prometheus.
 * Nothing here needs Docker. The Dockerfile, jvm.options and systemd: {@link DeploymentFilesTest}.
 */
class ComposeFilesTest {
    @Test
    void composeMountsExistingFilesAndBuildsFromTheRepository() {
        JsonNode services = document(DEPLOY.resolve("docker-compose.yml")).get("services");
        assertThat(names(services)).containsExactlyInAnyOrder("exporter", "prometheus", "alertmanager", "grafana");
        assertThat(DEPLOY.resolve(services.at("/exporter/build/context").asText())
                .resolve(services.at("/exporter/build/dockerfile").asText()))
                .exists();
        for (String service : names(services)) {
            composeMounts(services.get(service)).forEach((container, host) -> assertThat(host)
                    .as("%s volume %s", service, container).exists());
        }
        String listen = stream(services.at("/exporter/command")).map(JsonNode::asText)
                .filter(arg -> arg.startsWith("--web.listen-address=")).findFirst().orElseThrow();
        assertThat(ListenAddress.parse(listen.substring(listen.indexOf('=') + 1)).port()).isEqualTo(defaultPort());
    }

    @Test
    void composePrometheusFindsTheRulesInItsContainerAndScrapesTheStackServices() {
        JsonNode services = document(DEPLOY.resolve("docker-compose.yml")).get("services");
        Map<String, Path> mounts = composeMounts(services.get("prometheus"));
        Path config = mounts.get("/etc/prometheus/prometheus.yml");
        assertThat(config).as("the config prom/prometheus reads by default").isNotNull();
        JsonNode prometheus = document(config);
        for (JsonNode ruleFile : prometheus.get("rule_files")) {
            String inContainer = Path.of("/etc/prometheus").resolve(ruleFile.asText()).normalize().toString();
            assertThat(hostPath(mounts, inContainer)).as("rule file %s in the container", inContainer)
                    .hasSameTextualContentAs(Path.of("alerts/crc-exporter.rules.yml"));
        }
        assertThat(prometheus.at("/scrape_configs/0/job_name").asText()).isEqualTo("crc-exporter");
        assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText())
                .isEqualTo("exporter:" + defaultPort());
        assertThat(prometheus.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText())
                .isEqualTo("alertmanager:9093");
        assertThat(composeMounts(services.get("alertmanager")).get("/etc/alertmanager/alertmanager.yml"))
                .isEqualTo(DEPLOY.resolve("alertmanager.yml").normalize());
    }

    @Test
    void composeGrafanaGetsTheDashboardWhereItsProviderLooksAndADatasourceOnThePrometheusService() throws IOException {
        JsonNode services = document(DEPLOY.resolve("docker-compose.yml")).get("services");
        Map<String, Path> mounts = composeMounts(services.get("grafana"));
        String provisioning = "/etc/grafana/provisioning";
        for (JsonNode provider
                : document(hostPath(mounts, provisioning + "/dashboards/crc-exporter.yml")).get("providers")) {
            Path dashboards = hostPath(mounts, provider.at("/options/path").asText() + "/crc-exporter.json");
            assertThat(dashboards).hasSameTextualContentAs(Path.of("grafana/crc-exporter.json"));
        }
        Path datasourceDir = hostPath(mounts, provisioning + "/datasources");
        List<JsonNode> datasources;
        try (Stream<Path> files = Files.list(datasourceDir)) {
            datasources = files.flatMap(f -> stream(document(f).get("datasources"))).toList();
        }
        assertThat(datasources).singleElement().satisfies(ds -> {
            assertThat(ds.get("url").asText()).isEqualTo("http://prometheus:9090");
            assertThat(ds.get("type").asText()).isEqualTo("prometheus");
        });
    }

    // --- helpers -----------------------------------------------------------------------------------------

    /** Short-syntax bind mounts of a compose service: container path to host path (relative to deploy/). */
    private static Map<String, Path> composeMounts(JsonNode service) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            assertThat(parts[0]).as("bind mounts relative to deploy/").startsWith(".");
            mounts.put(parts[1], DEPLOY.resolve(parts[0]).normalize());
        }
        return mounts;
    }

    /** Where a path inside the container comes from on the host, through the longest matching mount. */
    private static Path hostPath(Map<String, Path> mounts, String inContainer) {
        return mounts.entrySet().stream()
                .filter(m -> inContainer.equals(m.getKey()) || inContainer.startsWith(m.getKey() + "/"))
                .max(Comparator.comparingInt(m -> m.getKey().length()))
                .map(m -> inContainer.equals(m.getKey()) ? m.getValue()
                        : m.getValue().resolve(inContainer.substring(m.getKey().length() + 1)))
                .orElseThrow(() -> new AssertionError(inContainer + " is not mounted from the host"));
    }
}
