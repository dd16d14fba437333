package dev.crcexporter.report;

import java.time.Instant;
import java.util.List;

/** A whole report: its options, when it was made, and one result per account in configuration order. */
public record CapacityReport(ReportOptions options, Instant generatedAt, List<AccountResult> accounts) {
    public CapacityReport {
        accounts = List.copyOf(accounts);
    }

    public List<FailedAccount> failed() {
        return accounts.stream().filter(FailedAccount.class::isInstance).map(FailedAccount.class::cast).toList();
    }
}
