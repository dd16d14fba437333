package dev.crcexporter.deploy;

import static dev.crcexporter.deploy.DeployFiles.DEPLOY;
import static dev.crcexporter.deploy.DeployFiles.YAML;
import static dev.crcexporter.deploy.DeployFiles.defaultPort;
import static dev.crcexporter.deploy.DeployFiles.document;
import static dev.crcexporter.deploy.DeployFiles.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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

/** What the tests of deploy/kubernetes share: where the files are, how to read their objects, and assertions. */
final class KubernetesFiles {
    static final Path K8S_TOP = DEPLOY.resolve("kubernetes");
    static final Path K8S = K8S_TOP.resolve("base");
    static final Path K8S_SHARDED = K8S_TOP.resolve("sharded");

    private KubernetesFiles() {}

    /** A Kubernetes object as kustomize identifies it for patches and replacements. */
    record Ref(String kind, String name) {
        static Ref of(JsonNode object) {
            return new Ref(object.path("kind").asText(), object.at("/metadata/name").asText());
        }
    }

    /** Port "http" is the exporter's default port; liveness and readiness probe their endpoints on it. */
    static void assertServesAndIsProbedOnTheExportersPort(JsonNode container) {
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(defaultPort());
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/-/healthy");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/-/ready");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    }

    /**
     * SHARD_INDEX is the pod's ordinal label, defined before CRC_SHARD (a variable expands only the ones before
     * it).
     */
    static void assertShardIndexComesFromThePodBeforeCrcShard(JsonNode container) {
        Map<String, JsonNode> env = env(container);
        assertThat(env.get("SHARD_INDEX").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        assertThat(new ArrayList<>(env.keySet())).containsSubsequence("SHARD_INDEX", CrcExporterCommand.SHARD_VARIABLE);
    }

    /** What the kubelet makes of CRC_SHARD on pods 0..replicas-1: every shard of N once; one pod more is refused. */
    static void assertEveryOrdinalGetsItsOwnShard(String crcShard, int replicas) throws ConfigException {
        List<Shard> shards = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            shards.add(Shard.parse(crcShard.replace("$(SHARD_INDEX)", Integer.toString(ordinal)), "CRC_SHARD"));
        }
        assertThat(shards).extracting(Shard::index)
                .containsExactlyElementsOf(IntStream.range(0, replicas).boxed().toList());
        assertThat(shards).extracting(Shard::count).containsOnly(replicas);
        String beyond = crcShard.replace("$(SHARD_INDEX)", Integer.toString(replicas));
        assertThatThrownBy(() -> Shard.parse(beyond, "CRC_SHARD")).isInstanceOf(ConfigException.class);
    }

    /**
     * The relabeling that makes {@code instance} the pod name: CrcExporterDown names crc-exporter-I, the pod of
     * shard I.
     */
    static void assertInstanceIsThePodName(JsonNode relabelings) {
        assertThat(relabelings).singleElement().satisfies(relabel -> {
            assertThat(relabel.get("sourceLabels"))
                    .containsExactly(YAML.getNodeFactory().textNode("__meta_kubernetes_pod_name"));
            assertThat(relabel.get("targetLabel").asText()).isEqualTo("instance");
        });
    }

    /** A label selector selects: it is not empty and every label it names has its value in {@code labels}. */
    static void assertSelects(JsonNode matchLabels, JsonNode labels, String what) {
        assertThat(matchLabels.size()).as(what + ": an empty selector").isPositive();
        matchLabels.properties().forEach(label ->
                assertThat(labels.get(label.getKey())).as(what + ": label " + label.getKey())
                        .isEqualTo(label.getValue()));
    }

    /** Labels of the pods, base and sharded alike (the StatefulSet patch has no template metadata). */
    static JsonNode podLabels() {
        return k8s("deployment.yaml", "Deployment").at("/spec/template/metadata/labels");
    }

    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e));
        return env;
    }

    private static final Pattern ELEMENT = Pattern.compile("\\[(\\w+)=(.+)]");

    /** A kustomize field path such as {@code spec.template.spec.containers.[name=app].env.[name=X].value}. */
    static JsonNode fieldPath(JsonNode object, String path) {
        JsonNode node = object;
        for (String step : path.split("\\.")) {
            Matcher element = ELEMENT.matcher(step);
            node = element.matches()
                    ? stream(node).filter(e -> e.path(element.group(1)).asText().equals(element.group(2))).findFirst()
                            .orElseThrow(() -> new AssertionError(path + ": no element " + step + " in "
                                    + object.at("/metadata/name")))
                    : node.path(step);
        }
        assertThat(node.isMissingNode()).as("%s in %s", path, Ref.of(object)).isFalse();
        return node;
    }

    static JsonNode kustomization(Path dir) {
        JsonNode kustomization = document(dir.resolve("kustomization.yaml"));
        assertThat(kustomization.path("kind").asText()).as(dir + "/kustomization.yaml").isEqualTo("Kustomization");
        return kustomization;
    }

    /**
     * The objects a kustomization's resources name (patches not applied); fails on a file or folder that is
     * missing.
     */
    static Set<Ref> resources(Path dir) {
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
                assertThat(dir.resolve(patch.get("path").asText())).as("patch of %s/kustomization.yaml", dir)
                        .isRegularFile();
            }
        }
        return objects;
    }

    static JsonNode k8s(String file, String kind) {
        return object(K8S.resolve(file), kind);
    }

    static JsonNode shardedFile(String file, String kind) {
        return object(K8S_SHARDED.resolve(file), kind);
    }

    static JsonNode object(Path file, String kind) {
        JsonNode doc = document(file);
        assertThat(doc.get("kind").asText()).as(file.toString()).isEqualTo(kind);
        assertThat(doc.at("/metadata/name").asText()).as(file.toString()).isEqualTo("crc-exporter");
        return doc;
    }

    static JsonNode mount(JsonNode container, String volume) {
        return stream(container.get("volumeMounts")).filter(m -> m.get("name").asText().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no volumeMount " + volume));
    }

    static String mountPath(JsonNode container, String volume) {
        return mount(container, volume).get("mountPath").asText();
    }

    static JsonNode volume(JsonNode pod, String name) {
        return stream(pod.get("volumes")).filter(v -> v.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
