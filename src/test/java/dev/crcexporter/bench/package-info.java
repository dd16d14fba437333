/**
 * All the Java code of the benchmarks (bench/README.md): the JMH benchmark run by bench/jmh.sh, BasicAuthFlood run
 * by bench/basic-auth-flood.sh, and the fake upstreams the bench scripts run as single-file programs. No test runs
 * them; Maven compiles them so that they keep up with the API. May import any main package, and {@code testing}
 * (BasicAuthFlood starts its exporter as the tests do).
 */
package dev.crcexporter.bench;
