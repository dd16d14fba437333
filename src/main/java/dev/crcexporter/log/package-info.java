/**
 * Logging set-up: {@code --log.level} and {@code --log.format} (logfmt or JSON lines) on top of Logback, with values
 * quoted only where they need it. Imports nothing of the project.
 */
package dev.crcexporter.log;
