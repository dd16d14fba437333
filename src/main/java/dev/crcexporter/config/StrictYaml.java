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
import java.util.Optional;
import java.util.TreeSet;
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

    /** How a message names an entry of a list: {@code hq} for {@code accounts[hq]}; {@code null} keeps the index. */
    public interface EntryNames {
        String name(String listPath, int index);
    }

    /** One line for a Jackson failure: the key (or the file and line) and what is wrong there. */
    public static String describe(JacksonException e, String source) {
        return describe(e, source, (list, index) -> null);
    }

    /** {@link #describe(JacksonException, String)}, naming list entries as {@code names} says. */
    public static String describe(JacksonException e, String source, EntryNames names) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            TreeSet<String> known = new TreeSet<>();
            if (unknown.getKnownPropertyIds() != null) {
                unknown.getKnownPropertyIds().forEach(id -> known.add(id.toString()));
            }
            String key = path(unknown, names) + " is not a known key";
            Optional<String> meant = KeySuggestion.closest(unknown.getPropertyName(), known);
            if (meant.isPresent()) {
                return key + "; did you mean " + meant.get() + "?";
            }
            return known.isEmpty() ? key : key + " (known keys: " + String.join(", ", known) + ")";
        }
        if (e instanceof InvalidFormatException invalid && !path(invalid, names).endsWith("api_secret")) {
            return path(invalid, names) + " must be " + typeName(invalid.getTargetType())
                    + " (got \"" + invalid.getValue() + "\")";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && !mismatch.getPath().isEmpty()) {
            return path(mismatch, names) + " must be " + typeName(mismatch.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()) {
            return source + ": the top level must be a mapping of keys (api_url, accounts, ...)";
        }
        // SnakeYAML's full message quotes the offending line, which may hold a secret: keep its words only.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                return source + ": not valid YAML: " + syntaxError(marked);
            }
        }
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ": ";
        return source + ": not valid YAML: " + where + oneLine(message);
    }

    /**
     * Where the parser found the mistake, and what it was in the middle of when that started elsewhere: a line
     * indented wrongly is named, not the list above it. Only when the file ended too early is the place where
     * the unfinished part (a quote never closed) began the better pointer.
     */
    private static String syntaxError(MarkedYAMLException marked) {
        Mark problem = marked.getProblemMark();
        Mark context = marked.getContextMark();
        String problemText = oneLine(marked.getProblem());
        String contextText = marked.getContext() == null ? null : oneLine(marked.getContext());
        boolean endedEarly = problemText.contains("end of stream");
        if (problem == null || (endedEarly && context != null)) {
            Mark where = context != null ? context : problem;
            return at(where) + (contextText == null ? "" : contextText + ": ") + problemText;
        }
        String hint = problemText.startsWith("expected <block end>") ? "; check the indentation of this line" : "";
        boolean contextElsewhere = contextText != null && context != null && context.getLine() != problem.getLine();
        String startedAt = contextElsewhere
                ? " (" + contextText + " that starts at line " + (context.getLine() + 1) + ")" : "";
        return at(problem) + problemText + hint + startedAt;
    }

    private static String at(Mark mark) {
        return mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
    }

    private static String path(JsonMappingException e, EntryNames names) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) out.append('.');
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                String name = names.name(out.toString(), ref.getIndex());
                out.append('[').append(name != null ? name : String.valueOf(ref.getIndex())).append(']');
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
