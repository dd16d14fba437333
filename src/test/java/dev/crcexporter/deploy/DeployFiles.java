package dev.crcexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.config.ConfigLoader;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.web.toolkit.ListenAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Option;

/** Reading the deployment files: YAML documents, their fields, and the exporter's own defaults they must agree with. */
final class DeployFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path DEPLOY = Path.of("deploy");

    private DeployFiles() {
    }

    static List<JsonNode> documents(Path file) {
        try (var values = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
            return values.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid YAML", e);
        }
    }

    static JsonNode document(Path file) {
        List<JsonNode> docs = documents(file);
        assertThat(docs).as(file.toString()).hasSize(1);
        return docs.get(0);
    }

    static JsonNode document(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exporter's default {@code --web.listen-address} port, read from the picocli option itself. */
    static int defaultPort() {
        try {
            Option option = CrcExporterCommand.class.getDeclaredField("listenAddress").getAnnotation(Option.class);
            return ListenAddress.parse(option.defaultValue()).port();
        } catch (NoSuchFieldException e) {
            throw new AssertionError("CrcExporterCommand has no listenAddress option", e);
        }
    }

    /** Parses a shipped configuration as the exporter would, with a placeholder file in place of its secret. */
    static ExporterConfig validConfig(String config, String secretFile, Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("api-secret"), "placeholder\n");
        return ConfigLoader.parse(config.replace(secretFile, secret.toString()), "config");
    }

    static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
