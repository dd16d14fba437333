package dev.crcexporter;

import dev.crcexporter.log.LogSetup;
import dev.crcexporter.log.LogSetup.LogFormat;
import dev.crcexporter.log.LogSetup.LogLevel;
import java.time.Clock;

/** Entry point: parse the command line, run, exit with its status. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Until a command sets its own (the daemon's --log.level and --log.format): warnings on stderr, one line each.
        // Without it, backfill and report would get logback's default, every DEBUG line on standard output, where
        // report writes its CSV or JSON.
        LogSetup.configure(LogLevel.warn, LogFormat.logfmt);
        int status = CrcExporterCommand.commandLine(System.getenv(), Clock.systemUTC()).execute(args);
        System.exit(status);
    }
}
