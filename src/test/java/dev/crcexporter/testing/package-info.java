/**
 * Real parts for tests, not mocks: fake upstreams on loopback ({@code FakeCrcApi} and {@code FakeZoomApi}, both served
 * by {@code LoopbackHttpServer}; {@code BrokenHttpUpstream}), the exporter in-process ({@code ExporterFixture}, which
 * reads each account's state from {@code /metrics} as {@code AccountState}) or as the packaged jar
 * ({@code JarExporter}), the real Prometheus and Alertmanager ({@code PrometheusServer}, {@code AlertmanagerServer})
 * and other external processes, bounded polling ({@code Poll}), clocks and log capture. May import any main package;
 * main code never imports it.
 */
package dev.crcexporter.testing;
