package dev.crcexporter.deploy;

import static dev.crcexporter.deploy.DeployFiles.DEPLOY;
import static dev.crcexporter.deploy.DeployFiles.YAML;
import static dev.crcexporter.deploy.DeployFiles.defaultPort;
import static dev.crcexporter.deploy.DeployFiles.document;
import static dev.crcexporter.deploy.DeployFiles.names;
import static dev.crcexporter.deploy.DeployFiles.stream;
import static dev.crcexporter.deploy.DeployFiles.validConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.Shard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes: base/ (one replica) and the sharded/ overlay built on it. The files are read as they are, with
 * Jackson, on every machine; what {@code kubectl kustomize} makes of the overlays is checked as well where a kubectl
 * with kustomize 4.1+ is on PATH ({@link Kustomize} skips those tests otherwise, with the reason).
 */
class KubernetesFilesTest {
    private static final Path K8S_TOP = DEPLOY.resolve("kubernetes");
    private static final Path K8S = K8S_TOP.resolve("base");
    private static final Path K8S_SHARDED = K8S_TOP.resolve("sharded");

    // --- base/ -------------------------------------------------------------------------------------------

    @Test
    void prometheusRuleGroupsAreExactlyTheRulesFileGroups() {
        JsonNode rule = k8s("prometheusrule.yaml", "PrometheusRule");
        JsonNode groups = document(Path.of("alerts/crc-exporter.rules.yml")).get("groups");
        assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.at("/spec/groups"))
                .as("deploy/kubernetes/base/prometheusrule.yaml is out of date: run deploy/kubernetes/generate-prometheusrule.sh (--check shows the diff)")
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
        assertThat(k8s("secret.yaml", "Secret").at("/stringData").has(secretKey)).as("secret key " + secretKey).isTrue();

        assertThat(validConfig(config, secretFile, tmp).accounts()).hasSize(1);
    }

    @Test
    void serviceMonitorScrapesTheServiceAsJobCrcExporter() {
        JsonNode service = k8s("service.yaml", "Service");
        JsonNode monitor = k8s("servicemonitor.yaml", "ServiceMonitor");
        assertThat(service.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(defaultPort());
        assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
        assertThat(service.at("/spec/selector")).isEqualTo(k8s("deployment.yaml", "Deployment").at("/spec/template/metadata/labels"));
        assertSelects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"), "ServiceMonitor → Service");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("1m");
        // prometheus-operator: job = value of the Service label named by jobLabel, else the Service name.
        String jobLabel = monitor.at("/spec/jobLabel").asText();
        String job = jobLabel.isEmpty() ? service.at("/metadata/name").asText() : service.at("/metadata/labels").get(jobLabel).asText();
        assertThat(job).as("job label the alert rules use").isEqualTo("crc-exporter");
        assertThat(service.at("/metadata/name").asText()).isEqualTo("crc-exporter");
    }

    // --- sharded/, read as files: what holds without kubectl -----------------------------------------------

    /** A Kubernetes object as kustomize identifies it for patches and replacements. */
    private record Ref(String kind, String name) {
        static Ref of(JsonNode object) {
            return new Ref(object.path("kind").asText(), object.at("/metadata/name").asText());
        }
    }

    @Test
    void everyFileAKustomizationNamesExistsAndEveryPatchAndReplacementFindsItsObject() {
        Set<Ref> objects = resources(K8S_SHARDED);
        assertThat(objects).contains(new Ref("Deployment", "crc-exporter"), new Ref("PodDisruptionBudget", "crc-exporter"));
        assertThat(resources(K8S_TOP)).isEqualTo(resources(K8S));
        JsonNode sharded = kustomization(K8S_SHARDED);
        for (JsonNode patch : sharded.path("patches")) {
            JsonNode file = patch.has("path") ? document(K8S_SHARDED.resolve(patch.get("path").asText())) : null;
            Ref target = patch.has("target") ? new Ref(patch.at("/target/kind").asText(), patch.at("/target/name").asText())
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
            assertThat(objects).as("replicas of %s", replicas).contains(new Ref("StatefulSet", replicas.get("name").asText()));
        }
        for (JsonNode replacement : sharded.path("replacements")) {
            assertThat(objects).contains(new Ref(replacement.at("/source/kind").asText(), replacement.at("/source/name").asText()));
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
        assertThat(replacement.at("/targets/0/options/index").asInt()).as("replacement index: N, after the /").isEqualTo(1);
        JsonNode statefulSet = shardedFile("statefulset.yaml", "StatefulSet");
        String placeholder = fieldPath(statefulSet, replacement.at("/targets/0/fieldPaths/0").asText()).asText();
        String[] parts = placeholder.split("/", -1);
        assertThat(parts).as("CRC_SHARD in statefulset.yaml: I/N").hasSize(2);
        String crcShard = parts[0] + "/" + count;

        JsonNode container = statefulSet.at("/spec/template/spec/containers/0");
        assertThat(env(container).get(CrcExporterCommand.SHARD_VARIABLE).get("value").asText()).isEqualTo(placeholder);
        assertShardIndexComesFromThePodBeforeCrcShard(container);
        assertThat(stream(k8s("deployment.yaml", "Deployment").at("/spec/template/spec/containers/0/args")).map(JsonNode::asText))
                .as("no --shard flag in the base: it would win over CRC_SHARD").noneMatch(arg -> arg.startsWith("--shard"));
        assertEveryOrdinalGetsItsOwnShard(crcShard, count);
    }

    @Test
    void theShardsPodsAreTheBasesWithTheirShardAddedSoPortAndProbesMatch() {
        JsonNode patch = shardedFile("statefulset.yaml", "StatefulSet");
        assertThat(names(patch.at("/spec/template"))).as("no template metadata: the pods keep the base's labels").containsOnly("spec");
        assertThat(names(patch.at("/spec/template/spec"))).containsOnly("containers", "topologySpreadConstraints");
        JsonNode container = patch.at("/spec/template/spec/containers");
        assertThat(container).hasSize(1);
        assertThat(names(container.get(0))).as("the patch adds env only; image, ports and probes are base/deployment.yaml's")
                .containsOnly("name", "env");
        JsonNode base = k8s("deployment.yaml", "Deployment").at("/spec/template/spec/containers");
        assertThat(base).hasSize(1);
        assertThat(container.at("/0/name")).as("containers merge by name: another name would add a second container")
                .isEqualTo(base.at("/0/name"));
        assertServesAndIsProbedOnTheExportersPort(base.get(0));

        JsonNode headless = shardedFile("service-headless.yaml", "Service");
        assertThat(names(headless.get("metadata"))).as("same name and labels as base/service.yaml").containsOnly("name");
        assertThat(names(headless.get("spec"))).containsOnly("clusterIP");
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(patch.at("/spec/serviceName").asText()).isEqualTo(headless.at("/metadata/name").asText());
        assertThat(k8s("service.yaml", "Service").at("/spec/ports/0/targetPort")).isEqualTo(base.at("/0/ports/0/name"));
    }

    @Test
    void theShardedServiceMonitorSelectsTheHeadlessServiceAndNamesInstanceByPod() {
        JsonNode service = k8s("service.yaml", "Service"); // the headless patch changes spec.clusterIP only (see above)
        JsonNode monitor = k8s("servicemonitor.yaml", "ServiceMonitor");
        assertSelects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"), "ServiceMonitor → Service");
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
        assertThat(monitor.at("/spec/endpoints/0/relabelings").isMissingNode()).as("nothing for the add to replace").isTrue();
        assertInstanceIsThePodName(add.get("value"));
    }

    @Test
    void theDisruptionBudgetAndTheSpreadOverNodesSelectTheShardsPods() {
        JsonNode budget = shardedFile("poddisruptionbudget.yaml", "PodDisruptionBudget");
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertSelects(budget.at("/spec/selector/matchLabels"), podLabels(), "PodDisruptionBudget → pods");
        JsonNode spread = shardedFile("statefulset.yaml", "StatefulSet").at("/spec/template/spec/topologySpreadConstraints");
        assertThat(spread).hasSize(1);
        assertSelects(spread.at("/0/labelSelector/matchLabels"), podLabels(), "topologySpreadConstraints → pods");
        assertSelects(k8s("deployment.yaml", "Deployment").at("/spec/selector/matchLabels"), podLabels(), "StatefulSet → pods");
    }

    // --- the overlays, rendered by kubectl kustomize --------------------------------------------------------

    @Test
    void theTopLevelKustomizationRendersTheSingleReplicaBase() {
        Map<String, JsonNode> objects = Kustomize.render(K8S_TOP);
        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "Secret", "ConfigMap", "Deployment", "Service", "ServiceMonitor", "PrometheusRule");
        assertThat(objects.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(objects.get("Deployment").at("/spec/template"))
                .isEqualTo(k8s("deployment.yaml", "Deployment").at("/spec/template"));
    }

    @Test
    void shardedOverlayRendersAStatefulSetInsteadOfTheDeployment() {
        Map<String, JsonNode> objects = Kustomize.render(K8S_SHARDED);
        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "Secret", "ConfigMap", "StatefulSet", "Service", "ServiceMonitor", "PrometheusRule", "PodDisruptionBudget");
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
        assertSelects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"), "ServiceMonitor → Service");
        assertThat(monitor.at("/spec/endpoints")).hasSize(1);
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.get("port").asText()).isEqualTo(service.at("/spec/ports/0/name").asText());
        assertThat(endpoint.get("path").asText()).isEqualTo("/metrics");
        String jobLabel = monitor.at("/spec/jobLabel").asText();
        assertThat(service.at("/metadata/labels").get(jobLabel).asText()).as("job label the alert rules use").isEqualTo("crc-exporter");
        assertInstanceIsThePodName(endpoint.get("relabelings"));
    }

    // --- helpers -----------------------------------------------------------------------------------------

    /** Port "http" is the exporter's default port; liveness and readiness probe their endpoints on it. */
    private static void assertServesAndIsProbedOnTheExportersPort(JsonNode container) {
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(defaultPort());
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/-/healthy");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/-/ready");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    }

    /** SHARD_INDEX is the pod's ordinal label, defined before CRC_SHARD (a variable expands only the ones before it). */
    private static void assertShardIndexComesFromThePodBeforeCrcShard(JsonNode container) {
        Map<String, JsonNode> env = env(container);
        assertThat(env.get("SHARD_INDEX").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        assertThat(new ArrayList<>(env.keySet())).containsSubsequence("SHARD_INDEX", CrcExporterCommand.SHARD_VARIABLE);
    }

    /** What the kubelet makes of CRC_SHARD on pods 0..replicas-1: every shard of N once; one pod more is refused. */
    private static void assertEveryOrdinalGetsItsOwnShard(String crcShard, int replicas) throws ConfigException {
        List<Shard> shards = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            shards.add(Shard.parse(crcShard.replace("$(SHARD_INDEX)", Integer.toString(ordinal)), "CRC_SHARD"));
        }
        assertThat(shards).extracting(Shard::index).containsExactlyElementsOf(IntStream.range(0, replicas).boxed().toList());
        assertThat(shards).extracting(Shard::count).containsOnly(replicas);
        String beyond = crcShard.replace("$(SHARD_INDEX)", Integer.toString(replicas));
        assertThatThrownBy(() -> Shard.parse(beyond, "CRC_SHARD")).isInstanceOf(ConfigException.class);
    }

    /** The relabeling that makes {@code instance} the pod name: CrcExporterDown names crc-exporter-I, the pod of shard I. */
    private static void assertInstanceIsThePodName(JsonNode relabelings) {
        assertThat(relabelings).singleElement().satisfies(relabel -> {
            assertThat(relabel.get("sourceLabels")).containsExactly(YAML.getNodeFactory().textNode("__meta_kubernetes_pod_name"));
            assertThat(relabel.get("targetLabel").asText()).isEqualTo("instance");
        });
    }

    /** A label selector selects: it is not empty and every label it names has its value in {@code labels}. */
    private static void assertSelects(JsonNode matchLabels, JsonNode labels, String what) {
        assertThat(matchLabels.size()).as(what + ": an empty selector").isPositive();
        matchLabels.properties().forEach(label ->
                assertThat(labels.get(label.getKey())).as(what + ": label " + label.getKey()).isEqualTo(label.getValue()));
    }

    /** Labels of the pods, base and sharded alike (the StatefulSet patch has no template metadata). */
    private static JsonNode podLabels() {
        return k8s("deployment.yaml", "Deployment").at("/spec/template/metadata/labels");
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e));
        return env;
    }

    private static final Pattern ELEMENT = Pattern.compile("\\[(\\w+)=(.+)]");

    /** A kustomize field path such as {@code spec.template.spec.containers.[name=app].env.[name=X].value}. */
    private static JsonNode fieldPath(JsonNode object, String path) {
        JsonNode node = object;
        for (String step : path.split("\\.")) {
            Matcher element = ELEMENT.matcher(step);
            node = element.matches()
                    ? stream(node).filter(e -> e.path(element.group(1)).asText().equals(element.group(2))).findFirst()
                            .orElseThrow(() -> new AssertionError(path + ": no element " + step + " in " + object.at("/metadata/name")))
                    : node.path(step);
        }
        assertThat(node.isMissingNode()).as("%s in %s", path, Ref.of(object)).isFalse();
        return node;
    }

    private static JsonNode kustomization(Path dir) {
        JsonNode kustomization = document(dir.resolve("kustomization.yaml"));
        assertThat(kustomization.path("kind").asText()).as(dir + "/kustomization.yaml").isEqualTo("Kustomization");
        return kustomization;
    }

    /** The objects a kustomization's resources name (patches not applied); fails on a file or folder that is missing. */
    private static Set<Ref> resources(Path dir) {
        Set<Ref> objects = new LinkedHashSet<>();
        for (JsonNode resource : kustomization(dir).path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(resources(path));
            } else {
                assertThat(path).as("resource of %s/kustomization.yaml", dir).isRegularFile();
                DeployFiles.documents(path).forEach(object -> objects.add(Ref.of(object)));
            }
        }
        for (JsonNode patch : kustomization(dir).path("patches")) {
            if (patch.has("path")) {
                assertThat(dir.resolve(patch.get("path").asText())).as("patch of %s/kustomization.yaml", dir).isRegularFile();
            }
        }
        return objects;
    }

    private static JsonNode k8s(String file, String kind) {
        return object(K8S.resolve(file), kind);
    }

    private static JsonNode shardedFile(String file, String kind) {
        return object(K8S_SHARDED.resolve(file), kind);
    }

    private static JsonNode object(Path file, String kind) {
        JsonNode doc = document(file);
        assertThat(doc.get("kind").asText()).as(file.toString()).isEqualTo(kind);
        assertThat(doc.at("/metadata/name").asText()).as(file.toString()).isEqualTo("crc-exporter");
        return doc;
    }

    private static JsonNode mount(JsonNode container, String volume) {
        return stream(container.get("volumeMounts")).filter(m -> m.get("name").asText().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no volumeMount " + volume));
    }

    private static String mountPath(JsonNode container, String volume) {
        return mount(container, volume).get("mountPath").asText();
    }

    private static JsonNode volume(JsonNode pod, String name) {
        return stream(pod.get("volumes")).filter(v -> v.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
