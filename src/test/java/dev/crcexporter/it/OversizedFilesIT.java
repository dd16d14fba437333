package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.ExternalProcesses;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files far too large for what they claim to be, given to the packaged jar under the heap limits of
 * {@code deploy/jvm.options}: every one ends in exit 2 and one line naming the file, never in an
 * OutOfMemoryError (exit 3), because no file is read past its limit.
 */
class OversizedFilesIT {
    private static final Path JAR = Path.of("target/crc-exporter.jar");

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();

    @AfterEach
    void stop() {
        processes.close();
    }

    private ExternalProcesses.Result check(String... flags) throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@deploy/jvm.options", "-jar", JAR.toString(), "--config.check"));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("CRC_"));
        return processes.run(Duration.ofSeconds(60), builder);
    }

    private Path validConfig(String secretLine) throws IOException {
        return Files.writeString(tmp.resolve("config.yml"),
                "accounts:\n  - name: hq\n    api_key: k\n    " + secretLine + "\n");
    }

    @Test
    void fiftyMegabyteConfigIsRefusedWithExit2() throws Exception {
        Path huge = tmp.resolve("huge.yml");
        try (OutputStream out = Files.newOutputStream(huge)) {
            out.write("accounts:\n  - name: hq\n    api_key: \"".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "k".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write("\"\n    api_secret: s\n".getBytes(StandardCharsets.US_ASCII));
        }

        ExternalProcesses.Result result = check("--config.file=" + huge);

        assertThat(result.exitCode()).as(result.errors()).isEqualTo(2);
        assertThat(result.errors().strip())
                .isEqualTo("crc-exporter: error: config file " + huge + " is larger than 4 MiB");
    }

    @Test
    void endlessDeviceAsConfigIsRefusedWithExit2() throws Exception {
        ExternalProcesses.Result result = check("--config.file=/dev/zero");

        assertThat(result.exitCode()).as(result.errors()).isEqualTo(2);
        assertThat(result.errors().strip())
                .isEqualTo("crc-exporter: error: config file /dev/zero is larger than 4 MiB");
    }

    @Test
    void endlessDeviceAsWebConfigIsRefusedWithExit2() throws Exception {
        ExternalProcesses.Result result = check("--config.file=" + validConfig("api_secret: s"),
                "--web.config.file=/dev/zero");

        assertThat(result.exitCode()).as(result.errors()).isEqualTo(2);
        assertThat(result.errors().strip())
                .isEqualTo("crc-exporter: error: --web.config.file /dev/zero is larger than 1 MiB");
    }

    @Test
    void endlessDeviceAsSecretFileIsRefusedWithExit2() throws Exception {
        ExternalProcesses.Result result = check("--config.file=" + validConfig("api_secret_file: /dev/zero"));

        assertThat(result.exitCode()).as(result.errors()).isEqualTo(2);
        assertThat(result.errors().strip())
                .isEqualTo("crc-exporter: error: accounts[hq].api_secret_file /dev/zero is larger than 16 KiB");
    }
}
