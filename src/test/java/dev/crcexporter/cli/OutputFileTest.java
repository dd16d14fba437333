package dev.crcexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.testing.SpecialFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where --output writes: regular files replaced whole, links followed, anything else written straight into. */
class OutputFileTest {
    @TempDir
    Path dir;

    private static void write(OutputFile file, String text) throws IOException {
        file.writer().write(text);
        file.commit();
    }

    @Test
    void aRegularFileIsReplacedOnlyOnCommitAndKeepsItsPermissions() throws IOException {
        Path report = Files.writeString(dir.resolve("report.csv"), "old\n");
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r-----"));

        OutputFile file = OutputFile.open(report);
        file.writer().write("new\n");
        file.writer().flush();
        assertThat(report).hasContent("old");
        file.commit();

        assertThat(report).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-r-----");
        assertThat(dir.resolve("report.csv.partial")).doesNotExist();
        assertThat(file.direct()).isFalse();
    }

    @Test
    void anAbandonedRunLeavesTheOldFileAndNoPartialFile() throws IOException {
        Path report = Files.writeString(dir.resolve("report.csv"), "old\n");

        OutputFile file = OutputFile.open(report);
        file.writer().write("half");
        file.abandon();

        assertThat(report).hasContent("old");
        assertThat(dir.resolve("report.csv.partial")).doesNotExist();
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws IOException {
        Path target = Files.writeString(Files.createDirectory(dir.resolve("reports")).resolve("latest.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of("reports/latest.csv"));

        OutputFile file = OutputFile.open(link);
        write(file, "new\n");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("reports/latest.csv"));
        assertThat(target).hasContent("new");
        assertThat(file.target()).isEqualTo(target);
        assertThat(dir.resolve("link.csv.partial")).doesNotExist();
        assertThat(dir.resolve("reports/latest.csv.partial")).doesNotExist();
    }

    @Test
    void aLinkToAFileNotYetWrittenCreatesTheFileAndKeepsTheLink() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("new.csv"));

        write(OutputFile.open(link), "new\n");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(dir.resolve("new.csv")).hasContent("new");
    }

    @Test
    void aLeftoverPartialLinkIsNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "untouched\n");
        Files.createSymbolicLink(dir.resolve("report.csv.partial"), elsewhere);

        write(OutputFile.open(dir.resolve("report.csv")), "new\n");

        assertThat(dir.resolve("report.csv")).hasContent("new");
        assertThat(elsewhere).hasContent("untouched");
    }

    @Test
    void aNamedPipeIsWrittenIntoAndStaysAPipe() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("pipe"));
        CompletableFuture<byte[]> read = SpecialFiles.readToEnd(fifo, Duration.ofSeconds(30));
        String text = "line\n".repeat(50_000); // more than a pipe holds: the reader takes it as it comes

        OutputFile file = OutputFile.open(fifo);
        write(file, text);

        assertThat(new String(read.get(), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(SpecialFiles.isFifo(fifo)).isTrue();
        assertThat(file.direct()).isTrue();
        assertThat(dir.resolve("pipe.partial")).doesNotExist();
    }

    @Test
    void aFullDeviceFailsTheCommitAndStaysADevice() throws Exception {
        Path full = SpecialFiles.characterDevice(dir.resolve("full"), 1, 7);

        OutputFile file = OutputFile.open(full);
        file.writer().write("anything\n");

        assertThatThrownBy(file::commit).isInstanceOf(IOException.class)
                .hasMessageContaining("No space left on device");
        file.abandon();
        assertThat(SpecialFiles.isCharacterDevice(full, 1, 7)).isTrue();
        assertThat(dir.resolve("full.partial")).doesNotExist();
    }

    @Test
    void aDirectoryIsRefused() {
        assertThatThrownBy(() -> OutputFile.open(dir)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("is a directory");
    }
}
