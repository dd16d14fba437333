package dev.crcexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Named pipes and device nodes made in a test's directory, and what a path is (Linux's file types). */
public final class SpecialFiles {
    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;

    private SpecialFiles() {}

    /** A named pipe at {@code path} (mkfifo). */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        run("mkfifo", path.toString());
        return path;
    }

    /**
     * A character device node at {@code path}, as {@code /dev/null} (1, 3) or {@code /dev/full} (1, 7) are; the test
     * is skipped, with the reason, where nodes cannot be made (not root, or no CAP_MKNOD in a container).
     */
    public static Path characterDevice(Path path, int major, int minor) throws IOException, InterruptedException {
        Assumptions.assumeTrue(ownUid(path.getParent()) == 0, "making a device node (mknod) needs root");
        Process mknod = new ProcessBuilder("mknod", path.toString(), "c", Integer.toString(major),
                Integer.toString(minor)).redirectErrorStream(true).start();
        String output = new String(mknod.getInputStream().readAllBytes());
        Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod refused here (no CAP_MKNOD?): " + output);
        return path;
    }

    /** True when {@code path} itself (not a link's target) is the character device {@code major}, {@code minor}. */
    public static boolean isCharacterDevice(Path path, int major, int minor) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || type(path) != CHARACTER_DEVICE) {
            return false;
        }
        long device = (long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        // Linux's encoding of a device number (glibc's gnu_dev_major / gnu_dev_minor)
        long deviceMajor = ((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL);
        long deviceMinor = (device & 0xff) | ((device >>> 12) & ~0xffL);
        return deviceMajor == major && deviceMinor == minor;
    }

    /** True when {@code path} itself is a named pipe. */
    public static boolean isFifo(Path path) throws IOException {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) && type(path) == FIFO;
    }

    /**
     * Reads {@code fifo} to its end on a thread of its own (a pipe's open waits for its writer): the bytes, or a
     * failure when no writer came and closed it within {@code bound}.
     */
    public static CompletableFuture<byte[]> readToEnd(Path fifo, Duration bound) {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                read.complete(in.readAllBytes());
            } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
            }
        }, "fifo-reader");
        // A writer that never comes leaves it blocked in open(): it must not hold the JVM up.
        reader.setDaemon(true);
        reader.start();
        return read.orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static int type(Path path) throws IOException {
        return (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & TYPE_MASK;
    }

    private static int ownUid(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, "uid", ".probe");
        try {
            return (int) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.delete(probe);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
