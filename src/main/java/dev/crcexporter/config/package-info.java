/**
 * The configuration: the YAML file and the CRC_* variables read strictly into immutable records
 * ({@code ExporterConfig}, {@code AccountConfig}, {@code Credentials}), secrets that never print, shards, and
 * {@code ConfigException} naming the dotted key and the bad value. Imports nothing of the project: every other
 * package reads config, config reads none of them.
 */
package dev.crcexporter.config;
