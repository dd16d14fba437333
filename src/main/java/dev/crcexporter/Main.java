package dev.crcexporter;

import java.time.Clock;

/** Entry point: parse the command line, run, exit with its status. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int status = CrcExporterCommand.commandLine(System.getenv(), Clock.systemUTC()).execute(args);
        System.exit(status);
    }
}
