package dev.crcexporter.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The forms in which an upstream may echo a secret it received: what redaction must catch. */
public final class SecretForms {
    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-F]{2}");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonMapper JSON_ASCII = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private SecretForms() {}

    /** Name of the form, and how to write a value in it. */
    public static Map<String, UnaryOperator<String>> all() {
        Map<String, UnaryOperator<String>> forms = new LinkedHashMap<>();
        forms.put("raw", v -> v);
        forms.put("form-encoded, + for the space", SecretForms::form);
        forms.put("percent-encoded, %20 for the space", v -> form(v).replace("+", "%20"));
        forms.put("percent-encoding in lower case", v -> lowerCaseHex(form(v)));
        forms.put("percent-encoding in lower case, %20", v -> lowerCaseHex(form(v).replace("+", "%20")));
        forms.put("every byte percent-encoded", SecretForms::everyBytePercentEncoded);
        forms.put("percent-encoded twice", v -> form(v).replace("%", "%25"));
        forms.put("JSON-escaped (Jackson)", v -> unquoted(JSON, v));
        forms.put("JSON-escaped, non-ASCII as Unicode escapes", v -> unquoted(JSON_ASCII, v));
        forms.put("JSON-escaped, HTML-safe upper-case Unicode escapes (Gson)", SecretForms::htmlSafeJson);
        forms.put("JSON-escaped with an escaped slash (PHP)", v -> unquoted(JSON, v).replace("/", "\\/"));
        forms.put("HTML-escaped as the landing page writes it", SecretForms::html);
        forms.put("HTML-escaped, non-ASCII as hex references", v -> html(v).replace("é", "&#xE9;"));
        forms.put("UTF-8 read as ISO-8859-1, as HTTP headers are",
                v -> new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        return forms;
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8); // + for the space, upper-case hex
    }

    private static String html(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String lowerCaseHex(String percentEncoded) {
        return PERCENT_ESCAPE.matcher(percentEncoded).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    }

    private static String everyBytePercentEncoded(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            out.append(String.format("%%%02x", b & 0xFF));
        }
        return out.toString();
    }

    private static String unquoted(JsonMapper json, String value) {
        try {
            String quoted = json.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Gson writes by default: < > & ' = as upper-case Unicode escapes. */
    private static String htmlSafeJson(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<', '>', '&', '\'', '=' -> out.append(String.format("\\u%04X", (int) c));
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
