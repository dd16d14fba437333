package dev.crcexporter.web;

/** A web configuration file that cannot be used; the message names the key and never a password or key. */
public final class WebConfigException extends Exception {
    public WebConfigException(String message) {
        super(message);
    }
}
