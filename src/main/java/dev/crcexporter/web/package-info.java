/**
 * The HTTP side: the server and its routes ({@code /metrics} with content negotiation and byte-bounded cached parts,
 * {@code /-/healthy}, {@code /-/ready}), the web config (TLS, client certificates, basic auth, headers, as
 * Prometheus&apos; exporter-toolkit does it) and the landing page ({@code LandingPage}, {@code HourlyPeakChart},
 * {@code HistorySection}, CSS under src/main/resources/dev/crcexporter/web/). May import {@code config},
 * {@code upstream}, {@code poll}, {@code history}, {@code metrics}, {@code report} (the 30-day chart and the
 * recommendation), {@code html} and {@code cli} (for {@code BuildInfo}).
 */
package dev.crcexporter.web;
