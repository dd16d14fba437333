package dev.crcexporter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Real programs (prometheus, promtool, chromium, the packaged jar) started by a test: every one is stopped
 * on {@link #close()} (SIGTERM, then SIGKILL, children included) and by a shutdown hook should the JVM
 * end first.
 */
public final class ExternalProcesses implements AutoCloseable {
    /** A finished program: its exit code, its standard output and its standard error (empty when merged). */
    public record Result(int exitCode, String output, String errors) {}

    private final List<Process> processes = new ArrayList<>();
    private Thread shutdownHook;

    /** Starts {@code command} in the background, standard output and error together into {@code log}. */
    public Process start(Path log, String... command) throws IOException {
        return start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()));
    }

    /** Starts a prepared process in the background; it is stopped on {@link #close()} at the latest. */
    public synchronized Process start(ProcessBuilder builder) throws IOException {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::destroyAll, "external-processes-kill");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** A server started by {@link #startServer}: its process and the port it listens on. */
    public record Server(Process process, int port) {}

    /**
     * Starts a server on a free loopback port and waits until {@code ready} says it serves on that port. The port
     * is picked before the server binds it: should another program take it meanwhile ("address already in use"
     * in the log), the server is started once more on another port.
     */
    public Server startServer(Path log, Duration bound, IntFunction<List<String>> command, IntPredicate ready)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = Ports.free();
            List<String> line = command.apply(port);
            Process process = start(log, line.toArray(String[]::new));
            Boolean served = Poll.until(bound, Duration.ofMillis(200), line.get(0) + " ready on port " + port,
                    () -> ready.test(port) ? Boolean.TRUE : process.isAlive() ? Boolean.FALSE : null,
                    state -> state == null || state, () -> logTail(log));
            if (served != null) {
                return new Server(process, port);
            }
            String output = tail(log, 30);
            if (attempt > 1 || !output.toLowerCase(Locale.ROOT).contains("address already in use")) {
                throw new AssertionError(line.get(0) + " exited with " + process.exitValue() + " before it served:\n"
                        + output);
            }
        }
    }

    /** Runs {@code command} to its end, output and errors together, killed when it takes longer than {@code bound}. */
    public Result run(Duration bound, String... command) throws IOException, InterruptedException {
        return run(bound, new ProcessBuilder(command).redirectErrorStream(true));
    }

    /** Runs {@code command} with {@code input} on its standard input; output and errors together. */
    public Result runWithInput(Duration bound, String input, String... command)
            throws IOException, InterruptedException {
        Path in = Files.createTempFile("crc-process", ".in");
        try {
            Files.writeString(in, input);
            return run(bound, new ProcessBuilder(command).redirectErrorStream(true).redirectInput(in.toFile()));
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /**
     * Runs a prepared process to its end (its output and errors go to files of this class): fails when it
     * takes longer than {@code bound}, and the process is gone when this returns, whatever happened.
     */
    public Result run(Duration bound, ProcessBuilder builder) throws IOException, InterruptedException {
        Path out = Files.createTempFile("crc-process", ".out");
        Path err = Files.createTempFile("crc-process", ".err");
        try {
            builder.redirectOutput(out.toFile());
            if (!builder.redirectErrorStream()) {
                builder.redirectError(err.toFile());
            }
            Process process = start(builder);
            if (builder.redirectInput() == ProcessBuilder.Redirect.PIPE) {
                process.getOutputStream().close(); // nothing to read: end of input at once
            }
            try {
                if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(String.join(" ", builder.command()) + " did not finish within " + bound
                            + "; output so far:\n" + read(out) + read(err));
                }
                return new Result(process.exitValue(), read(out), read(err));
            } finally {
                destroy(process);
                synchronized (this) {
                    processes.remove(process);
                }
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Fails a {@link Poll} at once when one of the processes has ended. */
    public static void assertAlive(Process... processes) {
        for (Process process : processes) {
            if (!process.isAlive()) {
                throw new Poll.Abort(process.info().command().orElse("process " + process.pid()) + " exited with "
                        + process.exitValue());
            }
        }
    }

    /** The last 30 lines of a log headed by its name, to append to a failure message; never fails. */
    public static String logTail(Path log) {
        return "\n--- " + (log == null ? "log" : log.getFileName()) + " (last lines) ---\n" + tail(log, 30);
    }

    /** The last {@code lines} lines of a log, for failure messages; never fails. */
    public static String tail(Path log, int lines) {
        try {
            if (log == null || !Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGTERM, up to 10s to exit, then SIGKILL; children too. */
    private static void destroy(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private synchronized void destroyAll() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : processes) {
            destroy(process);
        }
        processes.clear();
    }

    @Override
    public synchronized void close() {
        destroyAll();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway
            }
            shutdownHook = null;
        }
    }
}
