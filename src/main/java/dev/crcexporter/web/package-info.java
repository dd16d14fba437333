/**
 * The HTTP side: the server and its routes ({@code /metrics}: client_java's writers, answers kept within a byte budget,
 * {@code /-/healthy}, {@code /-/ready}, {@code /-/reload}) and the landing page ({@code LandingPage}, worst first:
 * {@code AccountOutlook}, {@code AccountPages}, {@code FleetSummary}, {@code CardOutlook}; {@code HourlyPeakChart},
 * {@code HistorySection}, CSS under src/main/resources/dev/crcexporter/web/). The web config
 * (TLS, client certificates, basic auth, headers) is applied by {@code web.toolkit}. May import {@code web.toolkit},
 * {@code config}, {@code upstream}, {@code poll}, {@code history}, {@code metrics}, {@code capacity} (the 30-day
 * figures, chart and recommendation rule), {@code html} and {@code cli} (for {@code BuildInfo}).
 */
package dev.crcexporter.web;
