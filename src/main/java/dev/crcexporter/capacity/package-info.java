/**
 * How close an account runs to its purchased ports, and how many to buy: the hourly and daily peaks of some days
 * ({@code Observations}), nearest-rank {@code Percentiles}, the {@code WeeklyTrend}, the one recommendation rule
 * ({@code RecommendationRule}, {@code Recommendation}) and the daily-peak chart ({@code DailyPeakChart}). The landing
 * page ({@code web}, over the last 30 days) and the {@code report} subcommand (over its period) both use it, so the
 * two never disagree on a rule. May import {@code upstream} (the days) and {@code html} (escaping in the chart).
 */
package dev.crcexporter.capacity;
