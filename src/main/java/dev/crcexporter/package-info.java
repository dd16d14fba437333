/**
 * The process: {@code Main}, the command line ({@code CrcExporterCommand}: flags, config loading, exit codes) and
 * {@code Exporter}, which wires config, poller, snapshot store, metrics and web server together and closes them.
 * It may import every package; no package imports it back.
 */
package dev.crcexporter;
