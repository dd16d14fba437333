/**
 * The one place that turns snapshots into metrics: the {@code crc_*} families ({@code CrcMetrics}), the
 * exporter&apos;s own metrics, build and shard info, and the JVM&apos;s
 * ({@code ProcessJvmMetrics}, once per process). May import {@code config},
 * {@code upstream}, {@code poll} and {@code cli} (for {@code BuildInfo}); never {@code web}, which serves what this
 * package writes.
 */
package dev.crcexporter.metrics;
