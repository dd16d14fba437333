package dev.crcexporter.report;

import java.time.Instant;
import java.util.List;

/** A whole report: its options, when it was made, and one result per account in configuration order. */
public record CapacityReport(ReportOptions options, Instant generatedAt, List<AccountResult> accounts) {
    public CapacityReport {
        accounts = List.copyOf(accounts);
    }

    /** An account's part of the report: its figures, or why there are none. */
    public sealed interface AccountResult permits AccountReport, FailedAccount {
        String account();
    }

    /**
     * An account whose history could not be fetched; it is reported and skipped.
     *
     * @param error the reason and the (redacted) message, "api_status: API status 401: ..."
     */
    public record FailedAccount(String account, String error) implements AccountResult {}

    public List<FailedAccount> failed() {
        return accounts.stream().filter(FailedAccount.class::isInstance).map(FailedAccount.class::cast).toList();
    }
}
