package dev.crcexporter.deploy;

import static dev.crcexporter.deploy.DeployFiles.defaultPort;
import static dev.crcexporter.deploy.DeployFiles.document;
import static dev.crcexporter.deploy.DeployFiles.names;
import static dev.crcexporter.deploy.DeployFiles.stream;
import static dev.crcexporter.deploy.KubernetesFiles.K8S;
import static dev.crcexporter.deploy.KubernetesFiles.K8S_SHARDED;
import static dev.crcexporter.deploy.KubernetesFiles.K8S_TOP;
import static dev.crcexporter.deploy.KubernetesFiles.assertEveryOrdinalGetsItsOwnShard;
import static dev.crcexporter.deploy.KubernetesFiles.assertInstanceIsThePodName;
import static dev.crcexporter.deploy.KubernetesFiles.assertSelects;
import static dev.crcexporter.deploy.KubernetesFiles.assertServesAndIsProbedOnTheExportersPort;
import static dev.crcexporter.deploy.KubernetesFiles.assertShardIndexComesFromThePodBeforeCrcShard;
import static dev.crcexporter.deploy.KubernetesFiles.env;
import static dev.crcexporter.deploy.KubernetesFiles.fieldPath;
import static dev.crcexporter.deploy.KubernetesFiles.k8s;
import static dev.crcexporter.deploy.KubernetesFiles.kustomization;
import static dev.crcexporter.deploy.KubernetesFiles.object;
import static dev.crcexporter.deploy.KubernetesFiles.podLabels;
import static dev.crcexporter.deploy.KubernetesFiles.resources;
import static dev.crcexporter.deploy.KubernetesFiles.shardedFile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.deploy.KubernetesFiles.Ref;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/sharded/: N shards built on base/. The files are read as they are, with Jackson, on every machine;
 * what {@code kubectl kustomize} makes of the overlay is checked as well where a kubectl with kustomize 4.1+ is on PATH
 * ({@link Kustomize} skips those tests otherwise, with the reason).
 */
class ShardedKubernetesFilesTest {
    // --- read as files: what holds without kubectl ---------------------------------------------------------

    @Test
    void everyFileAKustomizationNamesExistsAndEveryPatchAndReplacementFindsItsObject() {
        Set<Ref> objects = resources(K8S_SHARDED);
        assertThat(objects).contains(new Ref("Deployment", "crc-exporter"),
                new Ref("PodDisruptionBudget", "crc-exporter"));
        assertThat(resources(K8S_TOP)).isEqualTo(resources(K8S));
        JsonNode sharded = kustomization(K8S_SHARDED);
        for (JsonNode patch : sharded.path("patches")) {
            JsonNode file = patch.has("path") ? document(K8S_SHARDED.resolve(patch.get("path").asText())) : null;
            Ref target = patch.has("target")
                    ? new Ref(patch.at("/target/kind").asText(), patch.at("/target/name").asText())
                    : Ref.of(file);
            assertThat(objects).as("object patched by %s", patch).contains(target);
            if (file != null && patch.at("/options/allowKindChange").asBoolean()) {
                objects.remove(target);
                objects.add(Ref.of(file));
            }
        }
        assertThat(objects).as("after the patches").contains(new Ref("StatefulSet", "crc-exporter"))
                .doesNotContain(new Ref("Deployment", "crc-exporter"));
        for (JsonNode replicas : sharded.path("replicas")) {
            assertThat(objects).as("replicas of %s", replicas)
                    .contains(new Ref("StatefulSet", replicas.get("name").asText()));
        }
        for (JsonNode replacement : sharded.path("replacements")) {
            assertThat(objects).contains(
                    new Ref(replacement.at("/source/kind").asText(), replacement.at("/source/name").asText()));
            replacement.path("targets").forEach(target -> assertThat(objects)
                    .contains(new Ref(target.at("/select/kind").asText(), target.at("/select/name").asText())));
        }
    }

    @Test
    void theShardCountIsTheReplicaCountAndTheReplacementWritesItIntoCrcShard() throws Exception {
        JsonNode sharded = kustomization(K8S_SHARDED);
        JsonNode replicas = sharded.get("replicas");
        assertThat(replicas).hasSize(1);
        int count = replicas.at("/0/count").asInt();
        assertThat(count).as("N, the number of shards").isPositive();
        // The replacement copies spec.replicas (which `replicas:` sets) into the part of CRC_SHARD after the "/".
        JsonNode replacement = sharded.at("/replacements/0");
        assertThat(sharded.get("replacements")).hasSize(1);
        assertThat(replacement.at("/source/fieldPath").asText()).as("replacement source").isEqualTo("spec.replicas");
        assertThat(replacement.at("/targets/0/fieldPaths")).as("replacement target").hasSize(1);
        assertThat(replacement.at("/targets/0/options/delimiter").asText()).as("replacement delimiter").isEqualTo("/");
        assertThat(replacement.at("/targets/0/options/index").asInt()).as("replacement index: N, after the /")
                .isEqualTo(1);
        JsonNode statefulSet = shardedFile("statefulset.yaml", "StatefulSet");
        String placeholder = fieldPath(statefulSet, replacement.at("/targets/0/fieldPaths/0").asText()).asText();
        String[] parts = placeholder.split("/", -1);
        assertThat(parts).as("CRC_SHARD in statefulset.yaml: I/N").hasSize(2);
        String crcShard = parts[0] + "/" + count;

        JsonNode container = statefulSet.at("/spec/template/spec/containers/0");
        assertThat(env(container).get(CrcExporterCommand.SHARD_VARIABLE).get("value").asText()).isEqualTo(placeholder);
        assertShardIndexComesFromThePodBeforeCrcShard(container);
        assertThat(stream(k8s("deployment.yaml", "Deployment").at("/spec/template/spec/containers/0/args"))
                        .map(JsonNode::asText))
                .as("no --shard flag in the base: it would win over CRC_SHARD")
                .noneMatch(arg -> arg.startsWith("--shard"));
        assertEveryOrdinalGetsItsOwnShard(crcShard, count);
    }

    @Test
    void theShardsPodsAreTheBasesWithTheirShardAddedSoPortAndProbesMatch() {
        JsonNode patch = shardedFile("statefulset.yaml", "StatefulSet");
        assertThat(names(patch.at("/spec/template"))).as("no template metadata: the pods keep the base's labels")
                .containsOnly("spec");
        assertThat(names(patch.at("/spec/template/spec"))).containsOnly("containers", "topologySpreadConstraints");
        JsonNode container = patch.at("/spec/template/spec/containers");
        assertThat(container).hasSize(1);
        assertThat(names(container.get(0)))
                .as("the patch adds env only; image, ports and probes are base/deployment.yaml's")
                .containsOnly("name", "env");
        JsonNode base = k8s("deployment.yaml", "Deployment").at("/spec/template/spec/containers");
        assertThat(base).hasSize(1);
        assertThat(container.at("/0/name")).as("containers merge by name: another name would add a second container")
                .isEqualTo(base.at("/0/name"));
        assertServesAndIsProbedOnTheExportersPort(base.get(0));

        JsonNode headless = shardedFile("service-headless.yaml", "Service");
        assertThat(names(headless.get("metadata"))).as("same name and labels as base/service.yaml")
                .containsOnly("name");
        assertThat(names(headless.get("spec"))).containsOnly("clusterIP");
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(patch.at("/spec/serviceName").asText()).isEqualTo(headless.at("/metadata/name").asText());
        assertThat(k8s("service.yaml", "Service").at("/spec/ports/0/targetPort")).isEqualTo(base.at("/0/ports/0/name"));
    }

    @Test
    void theShardedServiceMonitorSelectsTheHeadlessServiceAndNamesInstanceByPod() {
        JsonNode service = k8s("service.yaml", "Service"); // the headless patch changes spec.clusterIP only (see above)
        JsonNode monitor = k8s("servicemonitor.yaml", "ServiceMonitor");
        assertSelects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"),
                "ServiceMonitor → Service");
        assertSelects(service.at("/spec/selector"), podLabels(), "Service → pods");
        assertThat(monitor.at("/spec/endpoints")).hasSize(1);
        assertThat(monitor.at("/spec/endpoints/0/port")).isEqualTo(service.at("/spec/ports/0/name"));

        JsonNode patch = stream(kustomization(K8S_SHARDED).get("patches"))
                .filter(p -> p.at("/target/kind").asText().equals("ServiceMonitor")).findFirst().orElseThrow();
        JsonNode operations = document(patch.get("patch").asText());
        assertThat(operations).hasSize(1);
        JsonNode add = operations.get(0);
        assertThat(add.get("op").asText()).isEqualTo("add");
        assertThat(add.get("path").asText()).isEqualTo("/spec/endpoints/0/relabelings");
        assertThat(monitor.at("/spec/endpoints/0/relabelings").isMissingNode()).as("nothing for the add to replace")
                .isTrue();
        assertInstanceIsThePodName(add.get("value"));
    }

    @Test
    void theDisruptionBudgetAndTheSpreadOverNodesSelectTheShardsPods() {
        JsonNode budget = shardedFile("poddisruptionbudget.yaml", "PodDisruptionBudget");
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertSelects(budget.at("/spec/selector/matchLabels"), podLabels(), "PodDisruptionBudget → pods");
        JsonNode spread = shardedFile("statefulset.yaml", "StatefulSet")
                .at("/spec/template/spec/topologySpreadConstraints");
        assertThat(spread).hasSize(1);
        assertSelects(spread.at("/0/labelSelector/matchLabels"), podLabels(), "topologySpreadConstraints → pods");
        assertSelects(k8s("deployment.yaml", "Deployment").at("/spec/selector/matchLabels"), podLabels(),
                "StatefulSet → pods");
    }

    // --- rendered by kubectl kustomize ----------------------------------------------------------------------

    @Test
    void shardedOverlayRendersAStatefulSetInsteadOfTheDeployment() {
        Map<String, JsonNode> objects = Kustomize.render(K8S_SHARDED);
        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "Secret", "ConfigMap", "StatefulSet", "Service", "ServiceMonitor", "PrometheusRule",
                "PodDisruptionBudget");
        JsonNode statefulSet = objects.get("StatefulSet");
        assertThat(names(statefulSet.get("spec"))).as("StatefulSet fields only (the Deployment's kind was changed)")
                .isSubsetOf("replicas", "selector", "template", "serviceName", "podManagementPolicy", "updateStrategy",
                        "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals",
                        "volumeClaimTemplates");
        assertThat(statefulSet.at("/spec/ordinals").isMissingNode()).as("ordinals start at 0, as shards do").isTrue();
        assertThat(statefulSet.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
        // Apart from the shard's environment and the spread over nodes, the pod is the single-replica one.
        JsonNode pod = statefulSet.at("/spec/template").deepCopy();
        ((ObjectNode) pod.at("/spec/containers/0")).remove("env");
        ((ObjectNode) pod.get("spec")).remove("topologySpreadConstraints");
        assertThat(pod).isEqualTo(k8s("deployment.yaml", "Deployment").at("/spec/template"));
    }

    @Test
    void everyPodOfTheStatefulSetGetsItsOwnShardOfReplicasShards() throws Exception {
        JsonNode statefulSet = Kustomize.render(K8S_SHARDED).get("StatefulSet");
        int replicas = statefulSet.at("/spec/replicas").asInt();
        JsonNode container = statefulSet.at("/spec/template/spec/containers/0");
        assertThat(stream(container.get("args")).map(JsonNode::asText))
                .as("no --shard flag: it would win over CRC_SHARD").noneMatch(arg -> arg.startsWith("--shard"));
        assertShardIndexComesFromThePodBeforeCrcShard(container);
        String shard = env(container).get(CrcExporterCommand.SHARD_VARIABLE).get("value").asText();
        assertThat(shard).isEqualTo("$(SHARD_INDEX)/" + replicas);
        assertEveryOrdinalGetsItsOwnShard(shard, replicas);
    }

    @Test
    void shardedPodsAreProbedAndServedOnTheExportersPort() {
        Map<String, JsonNode> objects = Kustomize.render(K8S_SHARDED);
        JsonNode statefulSet = objects.get("StatefulSet");
        JsonNode service = objects.get("Service");
        assertServesAndIsProbedOnTheExportersPort(statefulSet.at("/spec/template/spec/containers/0"));

        assertThat(service.at("/spec/clusterIP").asText()).as("headless").isEqualTo("None");
        assertThat(statefulSet.at("/spec/serviceName").asText()).isEqualTo(service.at("/metadata/name").asText());
        assertThat(service.at("/spec/selector")).isEqualTo(statefulSet.at("/spec/template/metadata/labels"));
        assertThat(statefulSet.at("/spec/selector/matchLabels")).isEqualTo(service.at("/spec/selector"));
        assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(defaultPort());

        JsonNode budget = objects.get("PodDisruptionBudget");
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(budget.at("/spec/selector/matchLabels")).isEqualTo(statefulSet.at("/spec/selector/matchLabels"));
    }

    @Test
    void shardedServiceMonitorScrapesEveryPodOfTheHeadlessServiceNamedByPod() {
        Map<String, JsonNode> objects = Kustomize.render(K8S_SHARDED);
        JsonNode service = objects.get("Service");
        JsonNode monitor = objects.get("ServiceMonitor");
        assertSelects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"),
                "ServiceMonitor → Service");
        assertThat(monitor.at("/spec/endpoints")).hasSize(1);
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.get("port").asText()).isEqualTo(service.at("/spec/ports/0/name").asText());
        assertThat(endpoint.get("path").asText()).isEqualTo("/metrics");
        String jobLabel = monitor.at("/spec/jobLabel").asText();
        assertThat(service.at("/metadata/labels").get(jobLabel).asText()).as("job label the alert rules use")
                .isEqualTo("crc-exporter");
        assertInstanceIsThePodName(endpoint.get("relabelings"));
    }
}
