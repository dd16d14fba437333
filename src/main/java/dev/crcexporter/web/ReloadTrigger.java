package dev.crcexporter.web;

import java.util.concurrent.CompletableFuture;

/**
 * Asks for the configuration files to be read again and applied when valid: what {@code POST /-/reload} and SIGHUP
 * do. The reload runs elsewhere; the caller gets its outcome when it is known.
 */
@FunctionalInterface
public interface ReloadTrigger {
    /**
     * @param trigger what asked for it ("SIGHUP", "POST /-/reload"), for the log
     */
    CompletableFuture<Outcome> reload(String trigger);

    /**
     * @param applied whether the new configuration is in force (else the running one stays)
     * @param message one line: what changed, or why nothing did (never a secret)
     */
    record Outcome(boolean applied, String message) {}
}
