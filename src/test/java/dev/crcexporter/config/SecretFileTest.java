package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretFileTest {
    private static final String KEY = "accounts[hq].api_secret_file";

    @TempDir
    Path dir;

    private Path file(byte[] content) throws Exception {
        Path file = Files.write(dir.resolve("secret"), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path file(String content) throws Exception {
        return file(content.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"s3cr et", "s3cr et\n", "s3cr et\r\n", "\uFEFFs3cr et\n", "  s3cr et\t\n\n",
            "\uFEFF\n s3cr et \r\n"})
    void aByteOrderMarkAndSurroundingWhiteSpaceAreNotPartOfTheSecret(String content) throws Exception {
        assertThat(SecretFile.read(file(content).toString(), KEY).reveal()).isEqualTo("s3cr et");
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"", "\n", " \t\r\n ", "\uFEFF", "\uFEFF\n"})
    void aFileWithNothingButWhiteSpaceOrAByteOrderMarkIsRejected(String content) throws Exception {
        Path file = file(content);
        assertThatThrownBy(() -> SecretFile.read(file.toString(), KEY)).isInstanceOf(ConfigException.class)
                .hasMessage(KEY + " " + file
                        + " is empty (white space and a byte-order mark are not part of the secret)");
    }

    @Test
    void aFileOverTheLimitIsRejectedNamingIt() throws Exception {
        Path file = file("x".repeat(BoundedFiles.MAX_SECRET_BYTES + 1));
        assertThatThrownBy(() -> SecretFile.read(file.toString(), KEY))
                .hasMessage(KEY + " " + file + " is larger than 16 KiB");
    }

    @Test
    void aFileAtTheLimitIsRead() throws Exception {
        Path file = file("x".repeat(BoundedFiles.MAX_SECRET_BYTES));
        assertThat(SecretFile.read(file.toString(), KEY).reveal()).hasSize(BoundedFiles.MAX_SECRET_BYTES);
    }

    @Test
    void anEndlessDeviceIsRejectedWithoutReadingItAll() {
        assertThatThrownBy(() -> SecretFile.read("/dev/zero", KEY))
                .hasMessage(KEY + " /dev/zero is larger than 16 KiB");
    }

    @Test
    void bytesThatAreNotUtf8AreRejected() throws Exception {
        Path file = file(new byte[] {'a', (byte) 0xC3, '(', 'b'});
        assertThatThrownBy(() -> SecretFile.read(file.toString(), KEY))
                .hasMessage(KEY + " " + file + " is not UTF-8 text");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> SecretFile.read("/nonexistent/secret", KEY))
                .hasMessage(KEY + " /nonexistent/secret cannot be read: no such file");
    }

    @Test
    void aPathNoFileSystemAcceptsIsAConfigErrorNotACrash() {
        assertThatThrownBy(() -> SecretFile.read("/run/secrets/\0hq", KEY))
                .isInstanceOf(ConfigException.class)
                .hasMessage(KEY + " is not a valid path: Nul character not allowed");
    }

    @Test
    void aFileEveryUserMayReadIsAcceptedWithOneWarning() throws Exception {
        Path file = file("s3cret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (LogCapture logs = new LogCapture()) {
            SecretFile.read(file.toString(), KEY);
            SecretFile.read(file.toString(), KEY); // a reload: no second warning

            assertThat(logs.logfmtLines()).filteredOn(l -> l.contains("readable by every user")).singleElement()
                    .satisfies(l -> assertThat(l).contains("level=warn", "key=" + KEY, "file=" + file)
                            .doesNotContain("s3cret"));
        }
    }

    @Test
    void aFileOnlyItsOwnerMayReadGetsNoWarning() throws Exception {
        Path file = file("s3cret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (LogCapture logs = new LogCapture()) {
            SecretFile.read(file.toString(), KEY);

            assertThat(logs.logfmtLines()).noneMatch(l -> l.contains("readable by every user"));
        }
    }
}
