package dev.crcexporter.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * YAML as every configuration file here is read: unknown keys and duplicate keys are errors (they are
 * almost always typos), and a failure becomes one line that names the key (dotted, with list indexes) or
 * the file and line, never quoting the offending line, which may hold a secret.
 */
public final class StrictYaml {
    private StrictYaml() {}

    /** A mapper that rejects unknown and duplicate keys and fractions where integers belong. */
    public static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** One line for a Jackson failure: the key (or the file and line) and what is wrong there. */
    public static String describe(JacksonException e, String source) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).collect(Collectors.toCollection(TreeSet::new)).toString();
            return path(unknown) + " is not a known key" + (known.isEmpty() ? "" : " (known keys: "
                    + known.substring(1, known.length() - 1) + ")");
        }
        if (e instanceof InvalidFormatException invalid && !path(invalid).endsWith("api_secret")) {
            return path(invalid) + " must be " + typeName(invalid.getTargetType()) + " (got \"" + invalid.getValue() + "\")";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !mismatch.getPath().isEmpty()) {
            return path(mismatch) + " must be " + typeName(mismatch.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()) {
            return source + ": the top level must be a mapping of keys (api_url, accounts, ...)";
        }
        // SnakeYAML's full message quotes the offending line, which may hold a secret: keep its words only.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                Mark mark = marked.getContextMark() != null ? marked.getContextMark() : marked.getProblemMark();
                String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                return source + ": not valid YAML: " + where + oneLine(context + marked.getProblem());
            }
        }
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ": ";
        return source + ": not valid YAML: " + where + oneLine(message);
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) out.append('.');
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class) return "an integer";
        if (type == String.class) return "a single value (string)";
        if (List.class.isAssignableFrom(type)) return "a list";
        return "a mapping of keys";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

}
