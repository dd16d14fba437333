/**
 * {@code --demo}: simulated systec and Zoom APIs on loopback with a few accounts, so the exporter, the page and the
 * dashboard can be seen without credentials (the tests and the benchmarks use the same simulations). May import
 * {@code config} and {@code upstream} (to write the answers the real parsers read).
 */
package dev.crcexporter.demo;
