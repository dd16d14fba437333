package dev.crcexporter.config;

/** A configuration that cannot be used; the message names the field and the problem, never a secret. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
