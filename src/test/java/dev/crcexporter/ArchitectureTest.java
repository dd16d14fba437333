package dev.crcexporter;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The package rules of ARCHITECTURE.md and each package-info.java, checked on the compiled main classes: a class that
 * breaks the one-way flow of rooms fails the unit tests.
 */
@AnalyzeClasses(packages = "dev.crcexporter", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ROOT = "dev.crcexporter";

    /**
     * The rooms in the order of the flow, each with the rooms its package-info.java says it may import: only rooms
     * named before it (see {@link #flow}). The root package, which wires them together, comes after all of them.
     */
    private static final Map<String, List<String>> FLOW = flow(
            "log", List.of(),
            "cli", List.of(),
            "html", List.of(),
            "config", List.of(),
            "upstream", List.of("config"),
            "demo", List.of("config", "upstream"),
            "poll", List.of("config", "upstream"),
            "history", List.of("config", "upstream"),
            "capacity", List.of("upstream", "html"),
            "metrics", List.of("config", "upstream", "poll", "cli"),
            "web.toolkit", List.of("config"),
            "web", List.of("web.toolkit", "config", "upstream", "poll", "history", "metrics", "capacity", "html",
                    "cli"),
            "reload", List.of("config", "metrics", "web", "web.toolkit"),
            "backfill", List.of("cli", "config", "upstream", "history", "metrics"),
            "report", List.of("cli", "config", "upstream", "history", "capacity", "demo", "backfill", "html"));

    @ArchTest
    static final ArchRule noRoomImportsOneItMayNot = oneWayFlow();

    @ArchTest
    static final ArchRule webToolkitImportsOnlyConfig = classes().that().resideInAPackage(ROOT + ".web.toolkit..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                    .or(resideInAnyPackage(ROOT + ".config..", ROOT + ".web.toolkit..")))
            .as("web.toolkit imports only config (and the JDK and libraries)");

    @ArchTest
    static final ArchRule noRoomImportsTheRootPackage = noClasses().that().resideOutsideOfPackage(ROOT)
            .should().dependOnClassesThat().resideInAPackage(ROOT)
            .as("no room imports the root package " + ROOT);

    @ArchTest
    static final ArchRule noCyclesBetweenRooms = slices().matching(ROOT + ".(**)").namingSlices("room $1")
            .should().beFreeOfCycles();

    private static ArchRule oneWayFlow() {
        LayeredArchitecture rooms = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer("root").definedBy(ROOT);
        for (String room : FLOW.keySet()) {
            // web.toolkit is a room of its own inside web: "web" is that one package, every other room its subpackages
            rooms = rooms.layer(room).definedBy(ROOT + "." + room + (room.equals("web") ? "" : ".."));
        }
        rooms = rooms.whereLayer("root").mayNotBeAccessedByAnyLayer();
        for (Map.Entry<String, List<String>> room : FLOW.entrySet()) {
            rooms = room.getValue().isEmpty()
                    ? rooms.whereLayer(room.getKey()).mayNotAccessAnyLayer()
                    : rooms.whereLayer(room.getKey()).mayOnlyAccessLayers(room.getValue().toArray(String[]::new));
        }
        return rooms.as("each room imports only the rooms its package-info.java names, all earlier in the flow "
                + FLOW.keySet() + "; none imports the root package");
    }

    /** Room, imports, room, imports...: refuses a room that may import one not named before it. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> flow(Object... roomsAndImports) {
        Map<String, List<String>> flow = new LinkedHashMap<>();
        for (int i = 0; i < roomsAndImports.length; i += 2) {
            String room = (String) roomsAndImports[i];
            List<String> imports = (List<String>) roomsAndImports[i + 1];
            List<String> later = new ArrayList<>(imports);
            later.removeAll(flow.keySet());
            if (!later.isEmpty()) {
                throw new IllegalArgumentException(room + " may import " + later + ", not earlier in the flow");
            }
            flow.put(room, imports);
        }
        return flow;
    }
}
