package dev.crcexporter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and git revision stamped into the jar at build time, and the running Java version. */
public record BuildInfo(String version, String revision, String javaVersion) {
    private static final String RESOURCE = "/crc-exporter-build.properties";

    public static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return new BuildInfo(
                stamped(properties.getProperty("version")),
                stamped(properties.getProperty("revision")),
                System.getProperty("java.version", "unknown"));
    }

    /** A property left unfiltered (run from an IDE without Maven) reads as "unknown". */
    private static String stamped(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
