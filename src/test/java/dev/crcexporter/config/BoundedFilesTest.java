package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a file cannot be read, in words an operator reads without a Java manual. */
class BoundedFilesTest {
    private static String reasonReading(Path file) {
        IOException failure = catchThrowableOfType(() -> BoundedFiles.read(file, BoundedFiles.MAX_SECRET_BYTES),
                IOException.class);
        assertThat(failure).as("reading %s fails", file).isNotNull();
        return BoundedFiles.reason(failure);
    }

    @Test
    void aMissingFileIsNoSuchFile(@TempDir Path dir) {
        assertThat(reasonReading(dir.resolve("missing"))).isEqualTo("cannot be read: no such file");
    }

    @Test
    void aDirectoryIsSaidToBeOne(@TempDir Path dir) {
        assertThat(reasonReading(dir)).isEqualTo("cannot be read: is a directory");
    }

    @Test
    void aPathThroughARegularFileSaysWhatIsWrong(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(reasonReading(file.resolve("below"))).isEqualTo("cannot be read: not a directory");
    }

    /** The file system's refusal as the JDK reports it; as root no file is refused, so this one is built. */
    @Test
    void aRefusalIsPermissionDenied() {
        assertThat(BoundedFiles.reason(new AccessDeniedException("/etc/crc-exporter/secret")))
                .isEqualTo("cannot be read: permission denied");
    }

    @Test
    void noReasonNamesAnExceptionClass(@TempDir Path dir) {
        for (Path file : new Path[] {dir.resolve("missing"), dir}) {
            assertThat(reasonReading(file)).doesNotContain("Exception");
        }
        assertThatThrownBy(() -> BoundedFiles.read(Path.of("/dev/zero"), 16)).hasMessage("is larger than 16 bytes");
    }
}
