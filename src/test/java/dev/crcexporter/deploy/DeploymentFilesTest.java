package dev.crcexporter.deploy;

import static dev.crcexporter.deploy.DeployFiles.DEPLOY;
import static dev.crcexporter.deploy.DeployFiles.defaultPort;
import static dev.crcexporter.deploy.DeployFiles.document;
import static dev.crcexporter.deploy.DeployFiles.documents;
import static dev.crcexporter.deploy.DeployFiles.names;
import static dev.crcexporter.deploy.DeployFiles.stream;
import static dev.crcexporter.deploy.DeployFiles.validConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files people deploy with (deploy/, Dockerfile) agree with each other and with the exporter: paths that
 * one file names exist in another, ports and endpoints are the exporter's. Nothing here needs Docker or systemd;
 * the README lists the deployment steps that only they can check. deploy/kubernetes: {@link KubernetesFilesTest};
 * docker compose: {@link ComposeFilesTest}.
 */
class DeploymentFilesTest {
    private static final Path JVM_OPTIONS = DEPLOY.resolve("jvm.options");
    private static final String BUILD_OUTPUT = "target/crc-exporter.jar";

    // --- YAML everywhere ---------------------------------------------------------------------------------

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).contains(DEPLOY.resolve("kubernetes/base/deployment.yaml"),
                DEPLOY.resolve("docker-compose.yml"));
        for (Path file : files) {
            assertThat(documents(file)).as(file.toString()).isNotEmpty()
                    .allSatisfy(doc -> assertThat(doc.isObject()).isTrue());
        }
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
                assertThat(copy.source()).as("what the runtime stage takes from the build stage")
                        .isEqualTo(BUILD_OUTPUT);
            } else {
                assertThat(Path.of(copy.source())).as("COPY source").exists();
                assertThat(ignored).as("COPY source %s must not be in .dockerignore", copy.source())
                        .noneMatch(pattern -> copy.source().equals(pattern) || copy.source().startsWith(pattern + "/"));
            }
        }
        assertThat(pomText("/project/build/finalName")).as("pom.xml finalName, which makes " + BUILD_OUTPUT)
                .isEqualTo("crc-exporter");
        assertThat(docker.destinationOf(BUILD_OUTPUT)).isEqualTo("/opt/crc-exporter/crc-exporter.jar");
        assertThat(docker.destinationOf("deploy/jvm.options")).isEqualTo("/opt/crc-exporter/jvm.options");
        assertThat(docker.last("ENTRYPOINT")).isEqualTo(
                "[\"java\", \"@/opt/crc-exporter/jvm.options\","
                        + " \"-XX:SharedArchiveFile=/opt/crc-exporter/crc-exporter.jsa\","
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
        Process process = new ProcessBuilder(java.toString(), "@" + JVM_OPTIONS, "-version").redirectErrorStream(true)
                .start();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(exited).as("java @deploy/jvm.options -version finishes").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("Unrecognized", "Error", "warning");
    }

    // --- systemd -----------------------------------------------------------------------------------------

    @Test
    void systemdUnitRunsTheImagesPathsAndHandsTheCredentialToTheConfig(@TempDir Path tmp) throws Exception {
        Dockerfile docker = Dockerfile.read(Path.of("Dockerfile"));
        Map<String, List<String>> unit = systemdService(DEPLOY.resolve("systemd/crc-exporter.service"));
        String execStart = single(unit, "ExecStart");
        assertThat(execStart).startsWith("/usr/bin/java @" + docker.destinationOf("deploy/jvm.options")
                + " -jar " + docker.destinationOf(BUILD_OUTPUT) + " --config.file=/etc/crc-exporter/config.yml");
        assertThat(single(unit, "MemoryDenyWriteExecute")).as("the JIT needs writable+executable memory")
                .isEqualTo("no");
        assertThat(single(unit, "SuccessExitStatus")).as("the JVM exits 143 after SIGTERM").isEqualTo("143");
        assertThat(single(unit, "ExecReload")).as("SIGHUP reloads (ReloadJarIT)").isEqualTo("/bin/kill -HUP $MAINPID");
        assertThat(single(unit, "CapabilityBoundingSet")).isEmpty();
        for (String key : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices",
                "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups",
                "RestrictNamespaces", "LockPersonality")) {
            assertThat(single(unit, key)).as(key).isEqualTo("yes");
        }
        assertThat(single(unit, "ProtectSystem")).isEqualTo("strict");

        String credential = single(unit, "LoadCredential").split(":", 2)[0];
        String config = Files.readString(DEPLOY.resolve("systemd/config.yml"));
        String secretFile = document(config).at("/accounts/0/api_secret_file").asText();
        assertThat(secretFile).isEqualTo("/run/credentials/crc-exporter.service/" + credential);
        assertThat(validConfig(config, secretFile, tmp).accounts()).hasSize(1);
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static String pomText(String xpath) throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        return XPathFactory.newInstance().newXPath().evaluate(xpath, pom).trim();
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
            return instructions.stream().filter(i -> i[0].equalsIgnoreCase(instruction)).map(i -> i[1].strip())
                    .toList();
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
                    case "FROM" -> stage = i[1].contains(" AS ") ? i[1].substring(i[1].indexOf(" AS ") + 4).strip()
                            : i[1];
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
