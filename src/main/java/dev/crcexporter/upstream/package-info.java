/**
 * The upstream APIs: one place builds each request (systec {@code CrcUsageClient}, {@code ZoomClient} with its
 * token), one parses each answer, all through bounded exchanges (size caps, timeouts, on-demand TLS);
 * {@code UsageSources} picks the client of an account, and {@code RetryPolicy} says when a failed request is tried
 * again. May import only {@code config}.
 */
package dev.crcexporter.upstream;
