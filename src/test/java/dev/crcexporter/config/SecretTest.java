package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void toStringHidesTheValue() {
        assertThat(new Secret("hunter2").toString()).isEqualTo("<secret>");
    }

    @Test
    void redactRemovesRawAndUrlEncodedForms() {
        Secret secret = new Secret("a b&c/d+e");
        String url = "http://h/p?api_key=k&api_secret=a+b%26c%2Fd%2Be&from=x";

        assertThat(secret.redact("raw a b&c/d+e and " + url))
                .isEqualTo("raw <secret> and http://h/p?api_key=k&api_secret=<secret>&from=x");
    }

    @Test
    void redactRemovesTheJsonEscapedForm() {
        Secret secret = new Secret("q\"u\\o");

        assertThat(secret.redact("{\"message\":\"q\\\"u\\\\o is wrong\"}")).isEqualTo("{\"message\":\"<secret> is wrong\"}");
    }
}
