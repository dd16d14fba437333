package dev.crcexporter.web;

/** Reads the configuration files again and applies them when valid: what {@code POST /-/reload} and SIGHUP do. */
@FunctionalInterface
public interface ReloadTrigger {
    /**
     * @param trigger what asked for it ("SIGHUP", "POST /-/reload"), for the log
     */
    Outcome reload(String trigger);

    /**
     * @param applied whether the new configuration is in force (else the running one stays)
     * @param message one line: what changed, or why nothing did (never a secret)
     */
    record Outcome(boolean applied, String message) {}
}
