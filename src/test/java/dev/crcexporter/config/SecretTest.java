package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.SecretForms;
import java.util.List;
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

    static Stream<Arguments> forms() {
        return SecretForms.all().entrySet().stream().map(f -> Arguments.of(f.getKey(), f.getValue().apply(VALUE)));
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
        String form = SecretForms.all().get("form-encoded, + for the space").apply(VALUE);
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
        Thread small = new Thread(null, () -> result[0] = secret.redact("Bearer " + token + " rejected"), "small",
                64 * 1024);
        small.start();
        small.join();

        assertThat(result[0]).isEqualTo("Bearer <secret> rejected");
    }

    @Test
    void redactorMasksSeveralSecrets() {
        var redact = Secret.redactor(List.of(new Secret("client-s3cret"), new Secret("token/123")));

        assertThat(redact.apply("id:client-s3cret token%2F123")).isEqualTo("id:<secret> <secret>");
    }
}
