package dev.crcexporter.report;

/** An account's part of the report: its figures, or why there are none. */
public sealed interface AccountResult permits AccountReport, FailedAccount {
    String account();
}
