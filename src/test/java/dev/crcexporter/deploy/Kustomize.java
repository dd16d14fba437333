package dev.crcexporter.deploy;

import static dev.crcexporter.deploy.DeployFiles.YAML;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crcexporter.testing.ExternalProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code kubectl kustomize DIR}, once per folder and run, one object per kind. The overlays need kustomize 4.1 or
 * later (replacements, patch options); Debian's kubectl 1.20 is older, so without a suitable kubectl on PATH the
 * calling test is skipped with the reason, and only the static checks of the same files run.
 */
final class Kustomize {
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+).*");
    private static final Map<Path, Map<String, JsonNode>> RENDERED = new ConcurrentHashMap<>();
    /** Why kubectl cannot render the overlays here; empty when it can. Asked once, when a test first renders. */
    private static final Optional<String> UNSUITABLE = unsuitableKubectl();

    private Kustomize() {
    }

    /** The objects kubectl renders from {@code dir}, by kind; skips the calling test without a suitable kubectl. */
    static Map<String, JsonNode> render(Path dir) {
        Assumptions.assumeTrue(UNSUITABLE.isEmpty(),
                () -> UNSUITABLE.orElseThrow() + ": kubectl kustomize " + dir + " skipped (KubernetesFilesTest's"
                        + " static checks of the same files run without kubectl)");
        return RENDERED.computeIfAbsent(dir, Kustomize::run);
    }

    private static Optional<String> unsuitableKubectl() {
        String output;
        try {
            output = kubectl(Duration.ofSeconds(30), "version", "--client", "-o", "json");
        } catch (IOException e) {
            return Optional.of("no kubectl on PATH (" + e.getMessage() + ")");
        } catch (AssertionError e) {
            return Optional.of(e.getMessage());
        }
        JsonNode version;
        try {
            version = YAML.readTree(output);
        } catch (IOException e) {
            return Optional.of("kubectl version --client -o json printed no JSON: " + output.strip());
        }
        String kubectl = version.at("/clientVersion/gitVersion").asText("unknown");
        String kustomize = version.path("kustomizeVersion").asText("");
        Matcher semver = VERSION.matcher(kustomize);
        if (!semver.matches()) {
            return Optional.of("kubectl " + kubectl + " reports no kustomize version (kubectl 1.24 or later does)");
        }
        int major = Integer.parseInt(semver.group(1));
        int minor = Integer.parseInt(semver.group(2));
        if (major < 4 || major == 4 && minor < 1) {
            return Optional.of("kubectl " + kubectl + " has kustomize " + kustomize
                    + ", the overlays need 4.1 or later");
        }
        return Optional.empty();
    }

    private static Map<String, JsonNode> run(Path dir) {
        String output;
        try {
            output = kubectl(Duration.ofSeconds(60), "kustomize", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + dir, e);
        }
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        try (var values = YAML.readValues(YAML.createParser(output), JsonNode.class)) {
            for (JsonNode object : values.readAll()) {
                assertThat(byKind.put(object.get("kind").asText(), object)).as("one %s", object.get("kind").asText())
                        .isNull();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + dir + " printed no YAML: " + output, e);
        }
        return byKind;
    }

    /**
     * Runs kubectl and returns its standard output (warnings on standard error stay out of the YAML); fails on a
     * non-zero exit or when it takes longer than {@code bound}.
     */
    private static String kubectl(Duration bound, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        try (ExternalProcesses processes = new ExternalProcesses()) {
            ExternalProcesses.Result result = processes.run(bound, new ProcessBuilder(command));
            if (result.exitCode() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": "
                        + (result.errors() + result.output()).strip());
            }
            return result.output();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
