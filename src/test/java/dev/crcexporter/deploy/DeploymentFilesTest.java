package dev.crcexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.ConfigLoader;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.Shard;
import dev.crcexporter.web.ListenAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

/**
 * The files people deploy with (deploy/, Dockerfile) agree with each other and with the exporter: paths that
 * one file names exist in another, ports and endpoints are the exporter's, the PrometheusRule is the rules file.
 * Nothing here needs Docker, Kubernetes or systemd; the README lists the deployment steps that only they can check.
 */
class DeploymentFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DEPLOY = Path.of("deploy");
    private static final Path K8S = DEPLOY.resolve("kubernetes/base");
    private static final Path K8S_SHARDED = DEPLOY.resolve("kubernetes/sharded");
    /** What kubectl kustomize rendered, per folder: once per run (tests that change a node copy it first). */
    private static final Map<Path, Map<String, JsonNode>> RENDERED = new ConcurrentHashMap<>();
    private static final Path JVM_OPTIONS = DEPLOY.resolve("jvm.options");
    private static final String BUILD_OUTPUT = "target/crc-exporter.jar";

    // --- YAML everywhere ---------------------------------------------------------------------------------

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).contains(K8S.resolve("deployment.yaml"), DEPLOY.resolve("docker-compose.yml"));
        for (Path file : files) {
            assertThat(documents(file)).as(file.toString()).isNotEmpty().allSatisfy(doc -> assertThat(doc.isObject()).isTrue());
        }
    }

    @Test
    void prometheusRuleGroupsAreExactlyTheRulesFileGroups() {
        JsonNode rule = k8s("prometheusrule.yaml", "PrometheusRule");
        JsonNode groups = document(Path.of("alerts/crc-exporter.rules.yml")).get("groups");
        assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.at("/spec/groups"))
                .as("deploy/kubernetes/base/prometheusrule.yaml is out of date: run deploy/kubernetes/generate-prometheusrule.sh (--check shows the diff)")
                .isEqualTo(groups);
    }

    // --- Dockerfile and jvm.options ----------------------------------------------------------------------

    @Test
    void dockerfileCopiesTheBuildOutputAndExistingFilesOnly() throws Exception {
        Dockerfile docker = Dockerfile.read(Path.of("Dockerfile"));
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.replaceAll("/$", "")).toList();
        assertThat(docker.copies()).isNotEmpty();
        for (Dockerfile.Copy copy : docker.copies()) {
            if (copy.fromStage() != null) {
                assertThat(copy.source()).as("what the runtime stage takes from the build stage").isEqualTo(BUILD_OUTPUT);
            } else {
                assertThat(Path.of(copy.source())).as("COPY source").exists();
                assertThat(ignored).as("COPY source %s must not be in .dockerignore", copy.source())
                        .noneMatch(pattern -> copy.source().equals(pattern) || copy.source().startsWith(pattern + "/"));
            }
        }
        assertThat(pomText("/project/build/finalName")).as("pom.xml finalName, which makes " + BUILD_OUTPUT).isEqualTo("crc-exporter");
        assertThat(docker.destinationOf(BUILD_OUTPUT)).isEqualTo("/opt/crc-exporter/crc-exporter.jar");
        assertThat(docker.destinationOf("deploy/jvm.options")).isEqualTo("/opt/crc-exporter/jvm.options");
        assertThat(docker.last("ENTRYPOINT")).isEqualTo(
                "[\"java\", \"@/opt/crc-exporter/jvm.options\", \"-XX:SharedArchiveFile=/opt/crc-exporter/crc-exporter.jsa\","
                        + " \"-jar\", \"/opt/crc-exporter/crc-exporter.jar\"]");
    }

    @Test
    void dockerfileExposesTheDefaultPortRunsAsNonRootAndLabelsThePomVersion() throws Exception {
        Dockerfile docker = Dockerfile.read(Path.of("Dockerfile"));
        assertThat(docker.last("EXPOSE")).isEqualTo(String.valueOf(defaultPort()));
        assertThat(docker.last("USER")).isEqualTo("65532:65532");
        assertThat(docker.last("ARG")).isEqualTo("VERSION=" + pomText("/project/version"));
        for (String label : List.of("title", "description", "source", "licenses", "version")) {
            assertThat(docker.all("LABEL")).anyMatch(l -> l.contains("org.opencontainers.image." + label + "="));
        }
    }

    @Test
    void jvmOptionsHasOneFlagPerLineAndNoComments() throws IOException {
        List<String> lines = Files.readAllLines(JVM_OPTIONS);
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line)
                .as("a java @argfile line: one flag, no comment, no blank").matches("-[^\\s#]+"));
    }

    @Test
    void thisJvmAcceptsTheJvmOptions() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "@" + JVM_OPTIONS, "-version").redirectErrorStream(true).start();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(exited).as("java @deploy/jvm.options -version finishes").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("Unrecognized", "Error", "warning");
    }

    // --- Kubernetes --------------------------------------------------------------------------------------

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
        monitor.at("/spec/selector/matchLabels").properties()
                .forEach(label -> assertThat(service.at("/metadata/labels").get(label.getKey())).isEqualTo(label.getValue()));
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("1m");
        // prometheus-operator: job = value of the Service label named by jobLabel, else the Service name.
        String jobLabel = monitor.at("/spec/jobLabel").asText();
        String job = jobLabel.isEmpty() ? service.at("/metadata/name").asText() : service.at("/metadata/labels").get(jobLabel).asText();
        assertThat(job).as("job label the alert rules use").isEqualTo("crc-exporter");
        assertThat(service.at("/metadata/name").asText()).isEqualTo("crc-exporter");
    }

    // --- Kubernetes: the overlays, rendered by kubectl kustomize ------------------------------------------

    @Test
    void theTopLevelKustomizationRendersTheSingleReplicaBase() {
        Map<String, JsonNode> objects = kustomize(DEPLOY.resolve("kubernetes"));
        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "Secret", "ConfigMap", "Deployment", "Service", "ServiceMonitor", "PrometheusRule");
        assertThat(objects.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(objects.get("Deployment").at("/spec/template"))
                .isEqualTo(k8s("deployment.yaml", "Deployment").at("/spec/template"));
    }

    @Test
    void shardedOverlayRendersAStatefulSetInsteadOfTheDeployment() {
        Map<String, JsonNode> objects = kustomize(K8S_SHARDED);
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
        JsonNode statefulSet = kustomize(K8S_SHARDED).get("StatefulSet");
        int replicas = statefulSet.at("/spec/replicas").asInt();
        JsonNode container = statefulSet.at("/spec/template/spec/containers/0");
        assertThat(stream(container.get("args")).map(JsonNode::asText))
                .as("no --shard flag: it would win over CRC_SHARD").noneMatch(arg -> arg.startsWith("--shard"));
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e));
        assertThat(env.get("SHARD_INDEX").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        assertThat(new ArrayList<>(env.keySet())).as("a variable is expanded only after the ones before it")
                .containsSubsequence("SHARD_INDEX", CrcExporterCommand.SHARD_VARIABLE);
        String shard = env.get(CrcExporterCommand.SHARD_VARIABLE).get("value").asText();
        assertThat(shard).isEqualTo("$(SHARD_INDEX)/" + replicas);
        // What the kubelet makes of it on pods 0..replicas-1: every shard of N once; one pod more is refused.
        List<Shard> shards = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            shards.add(Shard.parse(shard.replace("$(SHARD_INDEX)", Integer.toString(ordinal)), "CRC_SHARD"));
        }
        assertThat(shards).extracting(Shard::index).containsExactlyElementsOf(IntStream.range(0, replicas).boxed().toList());
        assertThat(shards).extracting(Shard::count).containsOnly(replicas);
        String beyond = shard.replace("$(SHARD_INDEX)", Integer.toString(replicas));
        assertThatThrownBy(() -> Shard.parse(beyond, "CRC_SHARD")).isInstanceOf(ConfigException.class);
    }

    @Test
    void shardedPodsAreProbedAndServedOnTheExportersPort() {
        Map<String, JsonNode> objects = kustomize(K8S_SHARDED);
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
        Map<String, JsonNode> objects = kustomize(K8S_SHARDED);
        JsonNode service = objects.get("Service");
        JsonNode monitor = objects.get("ServiceMonitor");
        assertThat(monitor.at("/spec/selector/matchLabels").properties()).isNotEmpty().allSatisfy(label ->
                assertThat(service.at("/metadata/labels").get(label.getKey())).isEqualTo(label.getValue()));
        assertThat(monitor.at("/spec/endpoints")).hasSize(1);
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.get("port").asText()).isEqualTo(service.at("/spec/ports/0/name").asText());
        assertThat(endpoint.get("path").asText()).isEqualTo("/metrics");
        String jobLabel = monitor.at("/spec/jobLabel").asText();
        assertThat(service.at("/metadata/labels").get(jobLabel).asText()).as("job label the alert rules use").isEqualTo("crc-exporter");
        // The instance label is the pod name: CrcExporterDown names crc-exporter-I, the pod of shard I.
        assertThat(endpoint.get("relabelings")).singleElement().satisfies(relabel -> {
            assertThat(relabel.get("sourceLabels")).containsExactly(YAML.getNodeFactory().textNode("__meta_kubernetes_pod_name"));
            assertThat(relabel.get("targetLabel").asText()).isEqualTo("instance");
        });
    }

    // --- systemd -----------------------------------------------------------------------------------------

    @Test
    void systemdUnitRunsTheImagesPathsAndHandsTheCredentialToTheConfig(@TempDir Path tmp) throws Exception {
        Dockerfile docker = Dockerfile.read(Path.of("Dockerfile"));
        Map<String, List<String>> unit = systemdService(DEPLOY.resolve("systemd/crc-exporter.service"));
        String execStart = single(unit, "ExecStart");
        assertThat(execStart).startsWith("/usr/bin/java @" + docker.destinationOf("deploy/jvm.options")
                + " -jar " + docker.destinationOf(BUILD_OUTPUT) + " --config.file=/etc/crc-exporter/config.yml");
        assertThat(single(unit, "MemoryDenyWriteExecute")).as("the JIT needs writable+executable memory").isEqualTo("no");
        assertThat(single(unit, "SuccessExitStatus")).as("the JVM exits 143 after SIGTERM").isEqualTo("143");
        assertThat(single(unit, "CapabilityBoundingSet")).isEmpty();
        for (String key : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
                "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "RestrictNamespaces", "LockPersonality")) {
            assertThat(single(unit, key)).as(key).isEqualTo("yes");
        }
        assertThat(single(unit, "ProtectSystem")).isEqualTo("strict");

        String credential = single(unit, "LoadCredential").split(":", 2)[0];
        String config = Files.readString(DEPLOY.resolve("systemd/config.yml"));
        String secretFile = document(config).at("/accounts/0/api_secret_file").asText();
        assertThat(secretFile).isEqualTo("/run/credentials/crc-exporter.service/" + credential);
        assertThat(validConfig(config, secretFile, tmp).accounts()).hasSize(1);
    }

    // --- docker compose ----------------------------------------------------------------------------------

    @Test
    void composeMountsExistingFilesAndBuildsFromTheRepository() {
        JsonNode services = document(DEPLOY.resolve("docker-compose.yml")).get("services");
        assertThat(names(services)).containsExactlyInAnyOrder("exporter", "prometheus", "alertmanager", "grafana");
        assertThat(DEPLOY.resolve(services.at("/exporter/build/context").asText()).resolve(services.at("/exporter/build/dockerfile").asText()))
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
        assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText()).isEqualTo("exporter:" + defaultPort());
        assertThat(prometheus.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText()).isEqualTo("alertmanager:9093");
        assertThat(composeMounts(services.get("alertmanager")).get("/etc/alertmanager/alertmanager.yml"))
                .isEqualTo(DEPLOY.resolve("alertmanager.yml").normalize());
    }

    @Test
    void composeGrafanaGetsTheDashboardWhereItsProviderLooksAndADatasourceOnThePrometheusService() throws IOException {
        JsonNode services = document(DEPLOY.resolve("docker-compose.yml")).get("services");
        Map<String, Path> mounts = composeMounts(services.get("grafana"));
        String provisioning = "/etc/grafana/provisioning";
        for (JsonNode provider : document(hostPath(mounts, provisioning + "/dashboards/crc-exporter.yml")).get("providers")) {
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

    /** Port "http" is the exporter's default port; liveness and readiness probe their endpoints on it. */
    private static void assertServesAndIsProbedOnTheExportersPort(JsonNode container) {
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(defaultPort());
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/-/healthy");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/-/ready");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    }

    /**
     * {@code kubectl kustomize DIR}, one object per kind. kubectl (with its built-in kustomize 5) is part of this
     * project's machine image; the test fails, rather than skips, without it.
     */
    private static Map<String, JsonNode> kustomize(Path dir) {
        return RENDERED.computeIfAbsent(dir, DeploymentFilesTest::render);
    }

    private static Map<String, JsonNode> render(Path dir) {
        String output;
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
            output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish within 60s");
            }
            assertThat(process.exitValue()).as("kubectl kustomize %s: %s", dir, output).isZero();
        } catch (IOException e) {
            throw new AssertionError("kubectl (1.27 or later, for kustomize 5) is needed on PATH to render " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        try (var values = YAML.readValues(YAML.createParser(output), JsonNode.class)) {
            for (JsonNode object : values.readAll()) {
                assertThat(byKind.put(object.get("kind").asText(), object)).as("one %s", object.get("kind").asText()).isNull();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + dir + " printed no YAML: " + output, e);
        }
        return byKind;
    }

    /** The exporter's default {@code --web.listen-address} port, read from the picocli option itself. */
    private static int defaultPort() {
        try {
            Option option = CrcExporterCommand.class.getDeclaredField("listenAddress").getAnnotation(Option.class);
            return ListenAddress.parse(option.defaultValue()).port();
        } catch (NoSuchFieldException e) {
            throw new AssertionError("CrcExporterCommand has no listenAddress option", e);
        }
    }

    private static String pomText(String xpath) throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        return XPathFactory.newInstance().newXPath().evaluate(xpath, pom).trim();
    }

    private static ExporterConfig validConfig(String config, String secretFile, Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("api-secret"), "placeholder\n");
        return ConfigLoader.parse(config.replace(secretFile, secret.toString()), "config");
    }

    private static List<JsonNode> documents(Path file) {
        try (var values = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
            return values.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid YAML", e);
        }
    }

    private static JsonNode document(Path file) {
        List<JsonNode> docs = documents(file);
        assertThat(docs).as(file.toString()).hasSize(1);
        return docs.get(0);
    }

    private static JsonNode document(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode k8s(String file, String kind) {
        JsonNode doc = document(K8S.resolve(file));
        assertThat(doc.get("kind").asText()).as(file).isEqualTo(kind);
        assertThat(doc.at("/metadata/name").asText()).as(file).isEqualTo("crc-exporter");
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
                .map(m -> inContainer.equals(m.getKey()) ? m.getValue() : m.getValue().resolve(inContainer.substring(m.getKey().length() + 1)))
                .orElseThrow(() -> new AssertionError(inContainer + " is not mounted from the host"));
    }

    /** The [Service] section of a unit file: key to values, in order (a key may repeat). */
    private static Map<String, List<String>> systemdService(Path unit) throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(unit)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                section = trimmed;
            } else if (section.equals("[Service]") && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                String[] kv = trimmed.split("=", 2);
                keys.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
            }
        }
        return keys;
    }

    private static String single(Map<String, List<String>> unit, String key) {
        assertThat(unit.get(key)).as(key).hasSize(1);
        return unit.get(key).get(0);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** Just enough of a Dockerfile: instructions with continuations joined, and its COPY lines per stage. */
    record Dockerfile(List<String[]> instructions) {
        record Copy(String fromStage, String source, String destination) {}

        private static final Pattern FROM_FLAG = Pattern.compile("--from=(\\S+)\\s+");

        static Dockerfile read(Path file) throws IOException {
            String joined = Files.readAllLines(file).stream()
                    .filter(l -> !l.strip().startsWith("#"))
                    .collect(Collectors.joining("\n"))
                    .replaceAll("\\\\\n", " ");
            List<String[]> instructions = joined.lines().map(String::strip).filter(l -> !l.isEmpty())
                    .map(l -> l.split("\\s+", 2)).toList();
            return new Dockerfile(instructions);
        }

        List<String> all(String instruction) {
            return instructions.stream().filter(i -> i[0].equalsIgnoreCase(instruction)).map(i -> i[1].strip()).toList();
        }

        String last(String instruction) {
            List<String> all = all(instruction);
            assertThat(all).as(instruction).isNotEmpty();
            return all.get(all.size() - 1);
        }

        /** COPY instructions; a source taken from another stage is made relative to that stage's WORKDIR. */
        List<Copy> copies() {
            Map<String, String> workdirs = new LinkedHashMap<>();
            String stage = null;
            List<Copy> copies = new ArrayList<>();
            for (String[] i : instructions) {
                switch (i[0].toUpperCase()) {
                    case "FROM" -> stage = i[1].contains(" AS ") ? i[1].substring(i[1].indexOf(" AS ") + 4).strip() : i[1];
                    case "WORKDIR" -> workdirs.put(stage, i[1].strip());
                    case "COPY" -> {
                        Matcher from = FROM_FLAG.matcher(i[1]);
                        String fromStage = from.lookingAt() ? from.group(1) : null;
                        String[] args = (fromStage == null ? i[1] : i[1].substring(from.end())).strip().split("\\s+");
                        assertThat(args).as("COPY %s: one source, one destination", i[1]).hasSize(2);
                        String source = args[0];
                        if (fromStage != null) {
                            String workdir = Optional.ofNullable(workdirs.get(fromStage)).orElse("/");
                            source = Path.of(workdir).relativize(Path.of(workdir).resolve(source)).toString();
                        }
                        copies.add(new Copy(fromStage, source.replaceFirst("^\\./", "").replaceAll("/$", ""), args[1]));
                    }
                    default -> { }
                }
            }
            return copies;
        }

        String destinationOf(String source) {
            return copies().stream().filter(c -> c.source().equals(source)).map(Copy::destination).findFirst()
                    .orElseThrow(() -> new AssertionError("Dockerfile does not COPY " + source));
        }
    }
}
