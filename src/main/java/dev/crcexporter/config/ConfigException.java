package dev.crcexporter.config;

/**
 * A configuration that cannot be used, from the config file, the {@code CRC_*} variables, a flag or the web config
 * file (and the TLS files it names); the message names the field and the problem, never a secret, password or key.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
