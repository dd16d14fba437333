package dev.crcexporter.config;

import java.util.OptionalInt;

/**
 * One CRC account to poll.
 *
 * @param name      the {@code account} label value
 * @param apiKey    the vendor-issued API key (not secret, but not exposed either)
 * @param apiSecret the API secret
 * @param capacity  purchased CRC ports, when configured
 */
public record AccountConfig(String name, String apiKey, Secret apiSecret, OptionalInt capacity) {}
