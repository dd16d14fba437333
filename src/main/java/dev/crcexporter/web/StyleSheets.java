package dev.crcexporter.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The pages' CSS, kept as files next to this class under src/main/resources and read once per class that embeds it. */
final class StyleSheets {
    private StyleSheets() {}

    /** The text of {@code name} (a file in this package's resource folder); a missing file is a broken build. */
    static String load(String name) {
        try (InputStream in = StyleSheets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("style sheet " + name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read style sheet " + name, e);
        }
    }
}
