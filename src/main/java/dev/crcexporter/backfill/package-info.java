/**
 * The {@code backfill} subcommand: past days from the upstream as OpenMetrics text for {@code promtool tsdb
 * create-blocks-from openmetrics}, with the same series the exporter exposes. May import {@code cli}, {@code config},
 * {@code upstream}, {@code history} and {@code metrics}.
 */
package dev.crcexporter.backfill;
