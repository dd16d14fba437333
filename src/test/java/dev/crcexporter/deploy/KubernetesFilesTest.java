package dev.crcexporter.deploy;

import static dev.crcexporter.deploy.DeployFiles.YAML;
import static dev.crcexporter.deploy.DeployFiles.defaultPort;
import static dev.crcexporter.deploy.DeployFiles.document;
import static dev.crcexporter.deploy.DeployFiles.validConfig;
import static dev.crcexporter.deploy.KubernetesFiles.K8S_TOP;
import static dev.crcexporter.deploy.KubernetesFiles.assertSelects;
import static dev.crcexporter.deploy.KubernetesFiles.assertServesAndIsProbedOnTheExportersPort;
import static dev.crcexporter.deploy.KubernetesFiles.k8s;
import static dev.crcexporter.deploy.KubernetesFiles.mount;
import static dev.crcexporter.deploy.KubernetesFiles.mountPath;
import static dev.crcexporter.deploy.KubernetesFiles.resources;
import static dev.crcexporter.deploy.KubernetesFiles.volume;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/base/ (one replica), read as files with Jackson on every machine, and what the top-level
 * kustomization renders where a kubectl with kustomize 4.1+ is on PATH ({@link Kustomize} skips that test otherwise).
 * The sharded overlay: {@link ShardedKubernetesFilesTest}.
 */
class KubernetesFilesTest {
    // --- base/ -------------------------------------------------------------------------------------------

    @Test
    void prometheusRuleGroupsAreExactlyTheRulesFileGroups() {
        JsonNode rule = k8s("prometheusrule.yaml", "PrometheusRule");
        JsonNode groups = document(Path.of("alerts/crc-exporter.rules.yml")).get("groups");
        assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.at("/spec/groups"))
                .as("deploy/kubernetes/base/prometheusrule.yaml is out of date: run deploy/regenerate.sh"
                        + " (--check shows the diff)")
                .isEqualTo(groups);
    }

    @Test
    void deploymentProbesThePortAndEndpointsOfTheExporterAndRunsLockedDown() {
        JsonNode pod = k8s("deployment.yaml", "Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertServesAndIsProbedOnTheExportersPort(container);
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(65532);
        JsonNode security = container.get("securityContext");
        assertThat(security.get("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.get("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(security.at("/capabilities/drop")).containsExactly(YAML.getNodeFactory().textNode("ALL"));
        assertThat(mountPath(container, "tmp")).isEqualTo("/tmp");
        assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
    }

    @Test
    void deploymentMountsTheConfigMapConfigWhereItsArgumentPointsAndTheSecretWhereTheConfigPoints(@TempDir Path tmp)
            throws Exception {
        JsonNode pod = k8s("deployment.yaml", "Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.get("args")).hasSize(1);
        String configFile = container.at("/args/0").asText().replaceFirst("^--config\\.file=", "");
        JsonNode configMount = mount(container, "config");
        assertThat(configMount.get("mountPath").asText()).isEqualTo(configFile);
        String configKey = configMount.get("subPath").asText();
        assertThat(volume(pod, "config").at("/configMap/name").asText()).isEqualTo("crc-exporter");

        String config = k8s("configmap.yaml", "ConfigMap").at("/data/" + configKey).asText();
        String secretFile = document(config).at("/accounts/0/api_secret_file").asText();
        String secretDir = mountPath(container, "secret");
        assertThat(secretFile).startsWith(secretDir + "/");
        String secretKey = secretFile.substring(secretDir.length() + 1);
        assertThat(volume(pod, "secret").at("/secret/secretName").asText()).isEqualTo("crc-exporter");
        assertThat(k8s("secret.yaml", "Secret").at("/stringData").has(secretKey)).as("secret key " + secretKey)
                .isTrue();

        assertThat(validConfig(config, secretFile, tmp).accounts()).hasSize(1);
    }

    @Test
    void serviceMonitorScrapesTheServiceAsJobCrcExporter() {
        JsonNode service = k8s("service.yaml", "Service");
        JsonNode monitor = k8s("servicemonitor.yaml", "ServiceMonitor");
        assertThat(service.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(defaultPort());
        assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
        assertThat(service.at("/spec/selector"))
                .isEqualTo(k8s("deployment.yaml", "Deployment").at("/spec/template/metadata/labels"));
        assertSelects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"),
                "ServiceMonitor → Service");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("1m");
        // prometheus-operator: job = value of the Service label named by jobLabel, else the Service name.
        String jobLabel = monitor.at("/spec/jobLabel").asText();
        String job = jobLabel.isEmpty() ? service.at("/metadata/name").asText()
                : service.at("/metadata/labels").get(jobLabel).asText();
        assertThat(job).as("job label the alert rules use").isEqualTo("crc-exporter");
        assertThat(service.at("/metadata/name").asText()).isEqualTo("crc-exporter");
    }

    // --- rendered by kubectl kustomize ----------------------------------------------------------------------

    @Test
    void theTopLevelKustomizationRendersTheSingleReplicaBase() {
        Map<String, JsonNode> objects = Kustomize.render(K8S_TOP);
        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "Secret", "ConfigMap", "Deployment", "Service", "ServiceMonitor", "PrometheusRule");
        assertThat(objects.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(objects.get("Deployment").at("/spec/template"))
                .isEqualTo(k8s("deployment.yaml", "Deployment").at("/spec/template"));
    }
}
