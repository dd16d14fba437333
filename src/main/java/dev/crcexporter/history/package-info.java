/**
 * The last 30 days of each account for the landing page, fetched in the background ({@code HistoryRefresher},
 * {@code HistoryFetcher}) and kept compact. May import {@code config} and {@code upstream}.
 */
package dev.crcexporter.history;
