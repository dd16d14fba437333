package dev.crcexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar in a process of its own, started as deployments start it:
 * {@code java @deploy/jvm.options -jar ...}.
 */
public final class JarExporter {
    public static final Path JAR = Path.of("target/crc-exporter.jar");
    public static final Path JVM_OPTIONS = Path.of("deploy/jvm.options");
    /** The start line names the port the system chose for port 0. */
    private static final Pattern PORT = Pattern.compile("address=\"127\\.0\\.0\\.1:0 \\(port (\\d+)\\)\"");

    /** A started exporter: its process, the port it listens on and its log. */
    public record Running(Process process, int port, Path log) {
        public String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        /** Resident memory of the process now, from /proc (Linux). */
        public long residentBytes() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read the memory of process " + process.pid() + " (has it ended?)", e);
            }
            throw new AssertionError("no VmRSS for process " + process.pid());
        }
    }

    private JarExporter() {}

    /** Starts the jar on a free loopback port with {@code args} and waits until it answers /-/ready. */
    public static Running start(ExternalProcesses processes, Path log, Duration readyWithin, String... args)
            throws IOException {
        return start(processes, log, readyWithin, List.of(), args);
    }

    /** The same with {@code jvmArgs} after the options file (a later {@code -Xmx} wins). */
    public static Running start(ExternalProcesses processes, Path log, Duration readyWithin, List<String> jvmArgs,
            String... args) throws IOException {
        Process process = processes.start(log, command(jvmArgs, args).toArray(String[]::new));
        int port = Poll.until(readyWithin, Duration.ofMillis(100), "the exporter's port in its log", () -> {
            ExternalProcesses.assertAlive(process);
            return portInLog(log);
        }, p -> p > 0, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));
        Running running = new Running(process, port, log);
        Poll.until(readyWithin, Duration.ofMillis(100), "exporter ready", () -> {
            ExternalProcesses.assertAlive(process);
            return Http.ok(running.url("/-/ready"));
        }, ready -> ready, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));
        return running;
    }

    /**
     * The command line of the jar on a free loopback port, as deployments start it, with {@code jvmArgs} and
     * {@code args}.
     */
    public static List<String> command(List<String> jvmArgs, String... args) {
        if (!Files.exists(JAR)) {
            throw new AssertionError(JAR + " is missing: run `mvn package` first");
        }
        List<String> command = new ArrayList<>(List.of("java", "@" + JVM_OPTIONS));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toString(), "--web.listen-address=127.0.0.1:0"));
        command.addAll(List.of(args));
        return command;
    }

    /** The port a started exporter names in its log, or -1 while it has not said. */
    public static int portInLog(Path log) {
        try {
            Matcher port = PORT.matcher(Files.readString(log));
            return port.find() ? Integer.parseInt(port.group(1)) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
