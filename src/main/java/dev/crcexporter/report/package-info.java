/**
 * The {@code report} subcommand: capacity statistics and recommendations over past days, written as text, CSV, JSON
 * or HTML ({@code DailyPeakChart}, also drawn on the landing page). May import {@code cli}, {@code config},
 * {@code upstream}, {@code history}, {@code demo}, {@code backfill} (its date option) and {@code html}.
 */
package dev.crcexporter.report;
