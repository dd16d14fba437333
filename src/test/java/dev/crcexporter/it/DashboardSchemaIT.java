package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crcexporter.testing.ExternalProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grafana/*.json type-checked against Grafana's own schema, @grafana/schema (pinned in
 * grafana/schema-check/package-lock.json, installed by .ci/run with npm ci), by grafana/schema-check/check.mjs: the
 * shipped dashboard passes, and a copy with one planted mistake fails, naming the mistake and its panel.
 */
class DashboardSchemaIT {
    private static final String CHECK = "grafana/schema-check/check.mjs";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();

    @AfterEach
    void stop() {
        processes.close();
    }

    private ExternalProcesses.Result check(String... files) throws Exception {
        String[] command = new String[files.length + 2];
        command[0] = "node";
        command[1] = CHECK;
        System.arraycopy(files, 0, command, 2, files.length);
        ExternalProcesses.Result result = processes.run(Duration.ofSeconds(120), command);
        assertThat(result.exitCode()).as("the check could run (npm ci in grafana/schema-check):%n%s", result.output())
                .isNotEqualTo(2);
        return result;
    }

    /** A copy of the dashboard with {@code plant} applied to its first panel of {@code type}. */
    private Path plantedIn(String type, Consumer<ObjectNode> plant) throws Exception {
        JsonNode dashboard = DashboardIT.dashboard();
        ObjectNode panel = (ObjectNode) DashboardIT.panels(dashboard).stream()
                .filter(p -> type.equals(p.path("type").asText())).findFirst().orElseThrow();
        plant.accept(panel);
        Path copy = tmp.resolve("planted.json");
        JSON.writeValue(copy.toFile(), dashboard);
        return copy;
    }

    private static void rename(ObjectNode object, String from, String to) {
        assertThat(object.has(from)).as("the dashboard has %s to misspell", from).isTrue();
        object.set(to, object.remove(from));
    }

    @Test
    void theDashboardIsValidAgainstGrafanasOwnSchema() throws Exception {
        ExternalProcesses.Result result = check();
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .containsPattern("1 dashboard\\(s\\), \\d+ panels: valid against @grafana/schema \\d+\\.");
    }

    @Test
    void aMisspeltPanelOptionFails() throws Exception {
        Path planted = plantedIn("stat", panel -> rename((ObjectNode) panel.path("options"), "colorMode",
                "colourMode"));
        JsonNode stat = DashboardIT.panels(DashboardIT.dashboard()).stream()
                .filter(p -> p.path("type").asText().equals("stat")).findFirst().orElseThrow();

        ExternalProcesses.Result result = check(planted.toString());

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("planted.json, panel " + stat.path("id").asInt() + " \""
                + stat.path("title").asText()
                + "\": error TS2353: Object literal may only specify known properties, and"
                + " '\"colourMode\"' does not exist").contains("1 problem(s)");
    }

    @Test
    void aMisspeltFieldOptionOfATableFails() throws Exception {
        Path planted = plantedIn("table", panel -> rename((ObjectNode) panel.at("/fieldConfig/defaults/custom"),
                "cellOptions", "cellOption"));

        ExternalProcesses.Result result = check(planted.toString());

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("'\"cellOption\"' does not exist");
    }

    @Test
    void aValueOutsideAnEnumFails() throws Exception {
        Path planted = plantedIn("stat", panel -> ((ObjectNode) panel.path("options")).put("graphMode", "sparkline"));

        ExternalProcesses.Result result = check(planted.toString());

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("Type '\"sparkline\"' is not assignable");
    }
}
