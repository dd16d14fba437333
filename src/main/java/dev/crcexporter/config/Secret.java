package dev.crcexporter.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An API secret. Its {@link #toString()} never shows the value, so a secret that slips into a log
 * call, an exception message or a record's toString stays hidden.
 */
public final class Secret {
    private static final String MASK = "<secret>";
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The clear text, for the one place that sends it upstream. */
    public String reveal() {
        return value;
    }

    /**
     * Masks every occurrence of this secret in {@code text}: raw, URL-encoded (a failed GET request
     * carries it in its query string) and JSON-escaped (an answer that quotes it back, shown in a message).
     */
    public String redact(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        String result = text.replace(value, MASK);
        for (String encoded : List.of(URLEncoder.encode(value, StandardCharsets.UTF_8),
                new String(JsonStringEncoder.getInstance().quoteAsString(value)))) {
            if (!encoded.equals(value)) {
                result = result.replace(encoded, MASK);
            }
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
