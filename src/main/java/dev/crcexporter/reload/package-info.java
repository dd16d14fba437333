/**
 * Reload without restart: {@code ConfigReloader} reads {@code --config.file} and {@code --web.config.file} again on
 * SIGHUP ({@code ReloadSignal}) or {@code POST /-/reload} and applies both or neither, one reload at a time on the
 * thread of {@code ReloadCoalescer}, which coalesces the requests; {@code AccountChanges} says what changed. May import
 * {@code config}, {@code metrics} (the reload gauges), {@code web} (the reload trigger) and {@code web.toolkit} (the
 * live web configuration).
 */
package dev.crcexporter.reload;
