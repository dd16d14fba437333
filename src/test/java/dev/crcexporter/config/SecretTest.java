package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretTest {
    /** Every character that URL, form, JSON or HTML encoding changes: + / = & " ' < > é and a space. */
    static final String VALUE = "Ab3+/=&\"'<> é\\Zy9";
    private static final Secret SECRET = new Secret(VALUE);

    @Test
    void toStringHidesTheValue() {
        assertThat(new Secret("hunter2").toString()).isEqualTo("<secret>");
    }

    static Stream<Arguments> forms() throws Exception {
        String form = URLEncoder.encode(VALUE, StandardCharsets.UTF_8); // + for the space, upper-case hex
        String json = JsonMapper.builder().build().writeValueAsString(VALUE);
        String jsonAscii = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build().writeValueAsString(VALUE);
        return Stream.of(
                Arguments.of("raw", VALUE),
                Arguments.of("form-encoded, + for the space", form),
                Arguments.of("percent-encoded, %20 for the space", form.replace("+", "%20")),
                Arguments.of("percent-encoding in lower case", lowerCaseHex(form)),
                Arguments.of("percent-encoding in lower case, %20", lowerCaseHex(form.replace("+", "%20"))),
                Arguments.of("every character percent-encoded", everyBytePercentEncoded(VALUE)),
                Arguments.of("percent-encoded twice", form.replace("%", "%25")),
                Arguments.of("JSON-escaped (Jackson)", json.substring(1, json.length() - 1)),
                Arguments.of("JSON-escaped, non-ASCII as \\u", jsonAscii.substring(1, jsonAscii.length() - 1)),
                Arguments.of("JSON-escaped, upper-case \\u and HTML-safe (Gson)", htmlSafeJson(VALUE)),
                Arguments.of("JSON-escaped with \\/ (PHP)", json.substring(1, json.length() - 1).replace("/", "\\/")),
                Arguments.of("HTML-escaped", VALUE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                        .replace("\"", "&quot;").replace("'", "&#39;").replace("é", "&#xE9;")),
                Arguments.of("a form body quoted in JSON", "api_secret=" + form.replace("/", "\\/")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void redactMasksTheSecretInEveryFormAnUpstreamMayEcho(String name, String encoded) {
        assertThat(encoded).as("the form differs from the raw value").satisfiesAnyOf(
                e -> assertThat(name).isEqualTo("raw"), e -> assertThat(e).isNotEqualTo(VALUE));
        String text = "before " + encoded + " after";

        String redacted = SECRET.redact(text);

        assertThat(redacted).endsWith(" after").contains("<secret>").doesNotContain("Ab3", "Zy9");
    }

    @Test
    void redactMasksEveryOccurrenceAndKeepsTheRest() {
        String form = URLEncoder.encode(VALUE, StandardCharsets.UTF_8);
        String text = "x=" + form + "&y=" + VALUE + "&z=%41b3 and 100% sure +1";

        assertThat(SECRET.redact(text)).isEqualTo("x=<secret>&y=<secret>&z=%41b3 and 100% sure +1");
    }

    @Test
    void textWithoutTheSecretIsReturnedAsItIs() {
        String text = "Ab3+/=&\"'<> e\\Zy9 differs in one letter; so does %41b3";

        assertThat(SECRET.redact(text)).isSameAs(text);
    }

    @Test
    void aLongTokenIsRedactedWithoutDeepRecursion() throws Exception {
        // A JWT-sized token on a thread with a stack as small as deploy/jvm.options gives: no StackOverflowError.
        String token = "eyJ" + "aB3-_x".repeat(400);
        Secret secret = new Secret(token);
        String[] result = new String[1];
        Thread small = new Thread(null, () -> result[0] = secret.redact("Bearer " + token + " rejected"), "small", 64 * 1024);
        small.start();
        small.join();

        assertThat(result[0]).isEqualTo("Bearer <secret> rejected");
    }

    @Test
    void redactorMasksSeveralSecrets() {
        var redact = Secret.redactor(List.of(new Secret("client-s3cret"), new Secret("token/123")));

        assertThat(redact.apply("id:client-s3cret token%2F123")).isEqualTo("id:<secret> <secret>");
    }

    private static String lowerCaseHex(String percentEncoded) {
        Matcher escape = Pattern.compile("%[0-9A-F]{2}").matcher(percentEncoded);
        return escape.replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    }

    private static String everyBytePercentEncoded(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            out.append(String.format("%%%02x", b & 0xFF));
        }
        return out.toString();
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
