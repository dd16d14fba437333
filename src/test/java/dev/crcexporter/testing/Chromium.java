package dev.crcexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Headless Chromium (Debian's /usr/bin/chromium, installed by .ci/run) with its own profile, for page tests. */
public final class Chromium {
    private static final String BINARY = "/usr/bin/chromium";

    private final ExternalProcesses processes;
    private final Path home;

    /** @param home a temporary folder for the profile and $HOME */
    public Chromium(ExternalProcesses processes, Path home) {
        this.processes = processes;
        this.home = home;
    }

    /** Runs it with {@code args} (a URL last), asserts it exited 0, and returns its standard output. */
    public String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + home.resolve("chromium-profile")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", home.toString());
        ExternalProcesses.Result result = processes.run(Duration.ofSeconds(90), builder);
        assertThat(result.exitCode()).as("chromium exit status; stderr:%n%s", result.errors()).isZero();
        return result.output();
    }
}
