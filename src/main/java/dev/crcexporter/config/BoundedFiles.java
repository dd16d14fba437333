package dev.crcexporter.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files an operator points the exporter at (configuration, web configuration, secrets, PEM
 * files) with a bound: never more than the limit plus one byte, so that a huge file, a device such as
 * {@code /dev/zero} or a path typed by mistake ends in a clear error instead of an OutOfMemoryError.
 */
public final class BoundedFiles {
    /**
     * The configuration: an account takes about 70 bytes, so this is room for a fleet of some 50,000 accounts
     * (shards all read the whole file), and still small enough that a wrong file fails fast.
     */
    public static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
    /** The web configuration: a few users, headers and file names. */
    public static final int MAX_WEB_CONFIG_BYTES = 1024 * 1024;
    /** A certificate chain, a key or a CA bundle (the whole of Mozilla's bundle is about 220 KB). */
    public static final int MAX_PEM_BYTES = 1024 * 1024;
    /** A secret or token file: one line of text. */
    public static final int MAX_SECRET_BYTES = 16 * 1024;

    private BoundedFiles() {}

    /** The file is larger than the limit; the message says the limit, the caller names the file. */
    public static final class TooLargeException extends IOException {
        TooLargeException(int maxBytes) {
            super("is larger than " + describe(maxBytes));
        }
    }

    /** The file's bytes are not UTF-8. */
    public static final class NotUtf8Exception extends IOException {
        NotUtf8Exception() {
            super("is not UTF-8 text");
        }
    }

    /** At most {@code maxBytes} of {@code file}. */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            return bytes;
        }
    }

    /** At most {@code maxBytes} of {@code file}, decoded as UTF-8 (malformed bytes are an error, not replaced). */
    public static String readUtf8(Path file, int maxBytes) throws IOException {
        byte[] bytes = read(file, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8Exception();
        }
    }

    /** "1 MiB", "16 KiB": limits as messages and docs/configuration.md state them. */
    public static String describe(int bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    /**
     * Why a bounded read failed, in words, for a message that names the file before it: "is larger than 1 MiB",
     * "cannot be read: no such file". Never the exception's class name, which says little to an operator.
     */
    public static String reason(IOException e) {
        if (e instanceof TooLargeException || e instanceof NotUtf8Exception) {
            return e.getMessage();
        }
        return "cannot be read: " + inWords(e);
    }

    private static String inWords(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        // The system's own words ("Is a directory", "Too many levels of symbolic links"); without the path,
        // which the message names already.
        String words = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (words == null || words.isBlank()) {
            return "input/output error";
        }
        return Character.toLowerCase(words.charAt(0)) + words.substring(1);
    }
}
