package dev.crcexporter.cli;

import java.io.PrintWriter;

/**
 * How every command (the exporter, {@code report}, {@code backfill}) reports a bad flag or configuration: one line on
 * stderr and exit status 2. A package of its own so that the subcommands do not import the root command.
 */
public final class UsageErrors {
    /** Exit status for a bad flag or configuration. */
    public static final int EXIT_USAGE = 2;

    private UsageErrors() {}

    /** The one way a command reports bad flags or configuration: one line on stderr, exit status 2. */
    public static int usageError(PrintWriter err, String message) {
        err.println("crc-exporter: error: " + message);
        err.flush();
        return EXIT_USAGE;
    }
}
