package dev.crcexporter.web;

import dev.crcexporter.metrics.CrcMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the telemetry path serves.
 *
 * @param registry every collector: the CRC families, the reload gauges, {@code jvm_*} and {@code process_*}
 * @param crc      the CRC collector in it, whose view tells whether a kept answer is current and whose accounts
 *                 size the answers
 */
public record Telemetry(PrometheusRegistry registry, CrcMetrics crc) {}
