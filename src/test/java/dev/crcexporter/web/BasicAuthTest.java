package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

class BasicAuthTest {
    private static final String HASH = BCrypt.hashpw("correct horse", BCrypt.gensalt(4));

    private static String header(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsEveryBcryptPrefixHtpasswdWrites() {
        for (String prefix : new String[] {"$2a$", "$2b$", "$2y$"}) {
            BasicAuth auth = new BasicAuth(Map.of("alice", prefix + HASH.substring(4)));
            assertThat(auth.allows(header("alice", "correct horse"))).as(prefix).isTrue();
        }
    }

    @Test
    void refusesWrongPasswordsUnknownUsersAndMalformedHeaders() {
        BasicAuth auth = new BasicAuth(Map.of("alice", HASH));

        assertThat(auth.allows(header("alice", "wrong"))).isFalse();
        assertThat(auth.allows(header("mallory", "correct horse"))).isFalse();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.allows("Bearer abc")).isFalse();
        assertThat(auth.allows("Basic !!!not-base64")).isFalse();
        assertThat(auth.allows("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()))).isFalse();
        assertThat(auth.allows(header("alice", "x".repeat(100)))).isFalse();
    }

    @Test
    void aPasswordThatPassedOnceIsNotHashedAgainButAWrongOneAlwaysIs() {
        BasicAuth auth = new BasicAuth(Map.of("alice", HASH));

        for (int i = 0; i < 5; i++) {
            assertThat(auth.allows(header("alice", "correct horse"))).isTrue();
        }
        assertThat(auth.bcryptChecks()).isEqualTo(1);

        for (int i = 0; i < 3; i++) {
            assertThat(auth.allows(header("alice", "wrong"))).isFalse();
        }
        assertThat(auth.bcryptChecks()).isEqualTo(4);
    }

    @Test
    void unknownUsersCostABcryptCheckToo() {
        BasicAuth auth = new BasicAuth(Map.of("alice", HASH));
        auth.allows(header("nobody", "x"));
        assertThat(auth.bcryptChecks()).isEqualTo(1);
    }
}
