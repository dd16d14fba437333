package dev.crcexporter.web;

import dev.crcexporter.metrics.CrcMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the telemetry path serves: the registry holding both collectors (for client_java's handler) and the two
 * collectors themselves, whose parts the exporter renders and keeps apart.
 *
 * @param registry every collector, as client_java's handler scrapes them
 * @param crc      the CRC families (change after a poll or at the hour)
 * @param jvm      everything else: {@code jvm_*}, {@code process_*} (change every second)
 */
public record Telemetry(PrometheusRegistry registry, CrcMetrics crc, MultiCollector jvm) {}
