/**
 * All the Java code of the benchmarks (bench/README.md): the JMH benchmark run by bench/jmh.sh and the fake upstreams
 * the bench scripts run as single-file programs. No test runs them; Maven compiles them so that they keep up with the
 * API. May import any main package.
 */
package dev.crcexporter.bench;
