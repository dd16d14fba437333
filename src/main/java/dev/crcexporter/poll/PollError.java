package dev.crcexporter.poll;

import dev.crcexporter.upstream.FailureReason;
import java.time.Instant;

/** The last failure of an account: when, why, and a message safe to show. */
public record PollError(Instant at, FailureReason reason, String message) {}
