/**
 * Integration tests ({@code *IT}, run by failsafe after packaging): the exporter, its jar and its monitoring assets
 * against real HTTP, promtool, amtool, Prometheus, Alertmanager and Chromium where installed. May import any main
 * package and {@code testing}.
 */
package dev.crcexporter.it;
