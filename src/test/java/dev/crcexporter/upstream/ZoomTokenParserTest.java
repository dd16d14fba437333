package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.ZoomAnswers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZoomTokenParserTest {
    private static ZoomTokenParser.TokenAnswer parse(String body) throws UpstreamException {
        return ZoomTokenParser.parse(body.getBytes(StandardCharsets.UTF_8), UnaryOperator.identity());
    }

    @Test
    void readsTheDocumentedAnswer() throws Exception {
        ZoomTokenParser.TokenAnswer answer = parse(ZoomAnswers.token("eyJhbGciOiJIUzUxMiJ9.eyJ2ZXIiOjl9.c2ln", 3599,
                "dashboard_crc:read:admin"));

        assertThat(answer.accessToken().reveal()).isEqualTo("eyJhbGciOiJIUzUxMiJ9.eyJ2ZXIiOjl9.c2ln");
        assertThat(answer.lifetime()).isEqualTo(Duration.ofSeconds(3599));
        assertThat(answer.scope()).isEqualTo("dashboard_crc:read:admin");
        assertThat(answer.toString()).doesNotContain("eyJ");
    }

    @Test
    void aLifetimeOfYearsIsReadAsADay() throws Exception {
        assertThat(parse("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":99999999999}").lifetime())
                .isEqualTo(Duration.ofDays(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no token             | {"token_type":"bearer","expires_in":3600}                                   \
            | the token answer has no access_token
            empty token          | {"access_token":"","token_type":"bearer","expires_in":3600}                 \
            | the token answer has no access_token
            token with a space   | {"access_token":"secret token","token_type":"bearer","expires_in":3600}     \
            | the token answer's access_token is not a bearer token (12 characters)
            token with a newline | {"access_token":"abc\\r\\nX-Evil: 1","token_type":"bearer","expires_in":3600} \
            | the token answer's access_token is not a bearer token (14 characters)
            mac token            | {"access_token":"t","token_type":"mac","expires_in":3600}                   \
            | the token answer's token_type must be bearer (got "mac")
            no expiry            | {"access_token":"t","token_type":"bearer"}                                  \
            | the token answer's expires_in must be a positive number of seconds (got nothing)
            zero expiry          | {"access_token":"t","token_type":"bearer","expires_in":0}                   \
            | the token answer's expires_in must be a positive number of seconds (got 0)
            expiry as text       | {"access_token":"t","token_type":"bearer","expires_in":"3600"}              \
            | the token answer's expires_in must be a positive number of seconds (got "3600")
            not JSON             | <html>login</html>                                                          \
            | the token answer: the body is not valid JSON
            trailing bytes       | {"access_token":"t","token_type":"bearer","expires_in":3600}}               \
            | the token answer: the body is not valid JSON
            """)
    void anAnswerThatIsNoTokenIsAnAuthFailureThatNeverQuotesTheToken(String name, String body, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AUTH))
                .hasMessageStartingWith(message).hasMessageNotContaining("secret token")
                .hasMessageNotContaining("X-Evil");
    }

    @Test
    void theTokenBeingReadIsMaskedWhereverTheAnswerEchoesIt() throws Exception {
        String token = "eyJhbGciOiJIUzUxMiJ9.eyJ2ZXIiOjl9.c2ln";
        UnaryOperator<String> clientSecret = new Secret("client-S3cret")::redact;

        assertThat(ZoomTokenParser.parse(ZoomAnswers.token(token, 3600, "x " + token + " client-S3cret")
                .getBytes(StandardCharsets.UTF_8), clientSecret).scope()).isEqualTo("x <secret> <secret>");
        assertThatThrownBy(() -> ZoomTokenParser.parse(("{\"access_token\":\"" + token + "\",\"token_type\":\""
                + token + "\",\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8), clientSecret))
                .hasMessage("the token answer's token_type must be bearer (got \"<secret>\")");
    }

    @Test
    void refusalsShowZoomsErrorAndReason() {
        UnaryOperator<String> none = UnaryOperator.identity();
        assertThat(ZoomTokenParser.errorText(ZoomAnswers.tokenError("invalid_client",
                "Invalid client_id or client_secret").getBytes(StandardCharsets.UTF_8), none))
                .isEqualTo(": invalid_client: Invalid client_id or client_secret");
        assertThat(ZoomTokenParser.errorText("{\"error\":\"invalid_request\"}".getBytes(StandardCharsets.UTF_8), none))
                .isEqualTo(": invalid_request");
        assertThat(ZoomTokenParser.errorText("Service Unavailable".getBytes(StandardCharsets.UTF_8), none))
                .isEqualTo(": Service Unavailable");
    }
}
