package dev.crcexporter.report;

/**
 * An account whose history could not be fetched; it is reported and skipped.
 *
 * @param error the reason and the (redacted) message, "api_status: API status 401: ..."
 */
public record FailedAccount(String account, String error) implements AccountResult {}
