package dev.crcexporter.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a secret from a file, for every kind of secret the configuration names by file (API secrets
 * today, client secrets next): at most {@link BoundedFiles#MAX_SECRET_BYTES}, UTF-8, without a leading
 * byte-order mark and without surrounding white space (editors and {@code echo} add a newline, Windows
 * editors a BOM; neither is part of the secret). What remains must not be empty. A file that every user
 * of the machine may read is accepted, with a warning, once per file.
 */
public final class SecretFile {
    private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    /** Files already warned about: a reload reads them again but says it once. */
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private SecretFile() {}

    /** The secret in {@code path}; {@code key} names the setting in messages ({@code accounts[hq].api_secret_file}). */
    public static Secret read(String path, String key) throws ConfigException {
        Path file;
        String content;
        try {
            file = Path.of(path);
            content = BoundedFiles.readUtf8(file, BoundedFiles.MAX_SECRET_BYTES);
        } catch (InvalidPathException e) {
            throw new ConfigException(key + " is not a valid path: " + e.getReason());
        } catch (IOException e) {
            throw new ConfigException(key + " " + path + " " + BoundedFiles.reason(e));
        }
        String value = content.startsWith(String.valueOf(BYTE_ORDER_MARK)) ? content.substring(1) : content;
        value = value.strip();
        if (value.isEmpty()) {
            throw new ConfigException(key + " " + path
                    + " is empty (white space and a byte-order mark are not part of the secret)");
        }
        warnIfReadableByOthers(file, key);
        return new Secret(value);
    }

    private static void warnIfReadableByOthers(Path file, String key) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to say
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ) && WARNED.add(file.toAbsolutePath().normalize())) {
            LOG.atWarn().setMessage("secret file is readable by every user of this machine; restrict it (chmod o-r)")
                    .addKeyValue("key", key).addKeyValue("file", file).log();
        }
    }
}
