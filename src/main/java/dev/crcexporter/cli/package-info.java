/**
 * What every command shares on the command line: the usage error (one line on stderr) and its exit status 2, and
 * the build's version ({@code BuildInfo}, also shown by the landing page and {@code crc_exporter_build_info}), and the
 * layout of {@code --help} ({@code UsageHelp}).
 * Imports nothing of the project, so the root command and the {@code report} and {@code backfill} subcommands can
 * all use it without importing each other.
 */
package dev.crcexporter.cli;
