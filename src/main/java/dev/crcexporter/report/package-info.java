/**
 * The {@code report} subcommand: capacity statistics and recommendations over past days and a horizon of months,
 * written as text, CSV, JSON or HTML. The figures and the recommendation rule it shares with the landing page are in
 * {@code capacity}. May import {@code cli}, {@code config}, {@code upstream}, {@code history}, {@code capacity},
 * {@code demo}, {@code backfill} (its date option) and {@code html}; nothing imports it but the root command.
 */
package dev.crcexporter.report;
