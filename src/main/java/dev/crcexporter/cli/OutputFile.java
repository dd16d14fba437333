package dev.crcexporter.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * What {@code --output} of {@code report} and {@code backfill} writes into. A regular file, or a name that does not
 * exist yet, is written as {@code NAME.partial} beside it and renamed over it once complete, so that a broken run
 * leaves the old file (or none), never half of one; a replaced file keeps its permissions. A symbolic link is
 * followed: its target is replaced, the link stays. Anything else (a pipe, a terminal, a device such as
 * {@code /dev/null}, an open descriptor such as {@code /dev/stdout}) is written straight into, never replaced.
 */
public final class OutputFile {
    /** Links followed at most in one name, as Linux does before ELOOP. */
    private static final int MAX_LINKS = 40;
    private static final int BUFFER_CHARS = 1 << 16;

    private final Path target;
    /** Null when written straight into the target. */
    private final Path partial;
    private final Writer writer;

    private OutputFile(Path target, Path partial, OutputStream out) {
        this.target = target;
        this.partial = partial;
        this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_CHARS);
    }

    /** Opens {@code named} for writing; it is not touched until {@link #commit} when it is replaced. */
    public static OutputFile open(Path named) throws IOException {
        Path path = named.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(path); links++) {
            if (isOpenDescriptor(path)) {
                // /dev/stdout, /dev/fd/N: the kernel's link to an open file; appended to, so that ">>" keeps its
                // meaning when it is a file, and never renamed over.
                boolean file = Files.isRegularFile(path);
                return new OutputFile(path, null, Files.newOutputStream(path, file
                        ? new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                        : new OpenOption[] {StandardOpenOption.WRITE}));
            }
            if (links == MAX_LINKS) {
                throw new FileSystemException(named.toString(), null, "too many levels of symbolic links");
            }
            path = path.resolveSibling(Files.readSymbolicLink(path));
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException absent) {
            return replacing(path, null);
        }
        if (attributes.isDirectory()) {
            throw new FileSystemException(named.toString(), null, "is a directory");
        }
        if (attributes.isRegularFile()) {
            return replacing(path, path);
        }
        return new OutputFile(path, null, Files.newOutputStream(path, StandardOpenOption.WRITE));
    }

    private static OutputFile replacing(Path target, Path existing) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        // A leftover of a broken run goes; a link planted under that name is never followed.
        Files.deleteIfExists(partial);
        OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        PosixFileAttributeView posix = existing == null ? null
                : Files.getFileAttributeView(existing, PosixFileAttributeView.class);
        if (posix != null) {
            try {
                Files.setPosixFilePermissions(partial, posix.readAttributes().permissions());
            } catch (IOException | RuntimeException e) {
                out.close();
                Files.deleteIfExists(partial);
                throw e;
            }
        }
        return new OutputFile(target, partial, out);
    }

    /** {@code /dev/fd/N} or {@code /proc/PID/fd/N}: names of a process's open files, not of files. */
    private static boolean isOpenDescriptor(Path path) {
        Path directory = path.getParent();
        if (directory == null) {
            return false;
        }
        if (directory.equals(Path.of("/dev/fd"))) {
            return true;
        }
        Path process = directory.getParent();
        return directory.getFileName().toString().equals("fd") && process != null
                && Path.of("/proc").equals(process.getParent());
    }

    /** Where the output goes (the target of a link), for messages. */
    public Path target() {
        return target;
    }

    /** True when written straight into the target: a failed run may have written part of the output there. */
    public boolean direct() {
        return partial == null;
    }

    public Writer writer() {
        return writer;
    }

    /** Writes what is buffered and puts the output in place. Throws when any of it could not be written. */
    public void commit() throws IOException {
        writer.close();
        if (partial != null) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** After a failure: the temporary file goes, the target stays as it was (when it is replaced). */
    public void abandon() {
        try {
            writer.close();
        } catch (IOException e) {
            // what is abandoned need not be written
        }
        if (partial != null) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** How the failure of a run that wrote here ends its message: what was kept, or may have been written. */
    public String afterFailure() {
        return direct() ? "part of the output may have been written" : "nothing was kept";
    }
}
