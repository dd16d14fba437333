package dev.crcexporter.web;

import dev.crcexporter.metrics.BuildInfo;
import dev.crcexporter.poll.AccountSnapshot;
import dev.crcexporter.poll.PollError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The page at {@code /}: what this is, where the metrics are, and how each account's polling goes. */
final class LandingPage {
    private final BuildInfo buildInfo;
    private final String metricsPath;
    private final Clock clock;

    LandingPage(BuildInfo buildInfo, String metricsPath, Clock clock) {
        this.buildInfo = buildInfo;
        this.metricsPath = metricsPath;
        this.clock = clock;
    }

    String render(List<AccountSnapshot> accounts) {
        Instant now = clock.instant();
        StringBuilder html = new StringBuilder(2048 + 512 * accounts.size());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>crc-exporter</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222}")
                .append("table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}")
                .append(".up{color:#1a7f37}.down{color:#cf222e}.muted{color:#777}")
                .append("</style></head><body>\n")
                .append("<h1>crc-exporter</h1>\n")
                .append("<p>Prometheus exporter for Cloud Room Connector (CRC) port usage. Version ")
                .append(Html.escape(buildInfo.version())).append(" (revision ").append(Html.escape(buildInfo.revision()))
                .append(").</p>\n")
                .append("<p><a href=\"").append(Html.escape(relative(metricsPath))).append("\">Metrics</a> &middot; ")
                .append("<a href=\"-/healthy\">Health</a> &middot; <a href=\"-/ready\">Readiness</a></p>\n")
                .append("<h2>Accounts</h2>\n<table><thead><tr><th>Account</th><th>Status</th><th>Capacity</th>")
                .append("<th>Last success</th><th>Last error</th></tr></thead><tbody>\n");
        for (AccountSnapshot account : accounts) {
            html.append("<tr><td>").append(Html.escape(account.name())).append("</td><td>")
                    .append(status(account)).append("</td><td>")
                    .append(account.account().capacity().isPresent()
                            ? Integer.toString(account.account().capacity().getAsInt()) : "<span class=\"muted\">not set</span>")
                    .append("</td><td>").append(ago(account.lastSuccess(), now)).append("</td><td>")
                    .append(error(account.lastError(), now)).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n</body></html>\n");
        return html.toString();
    }

    private static String status(AccountSnapshot account) {
        if (!account.polled()) {
            return "<span class=\"muted\">first poll pending</span>";
        }
        return account.up() ? "<span class=\"up\">up</span>" : "<span class=\"down\">failing</span>";
    }

    private static String ago(Optional<Instant> at, Instant now) {
        return at.map(instant -> Html.escape(instant.truncatedTo(ChronoUnit.SECONDS) + " (" + age(instant, now) + " ago)"))
                .orElse("<span class=\"muted\">never</span>");
    }

    private static String error(Optional<PollError> error, Instant now) {
        return error.map(e -> Html.escape(e.reason().label() + ": " + e.message())
                        + " <span class=\"muted\">(" + Html.escape(age(e.at(), now)) + " ago)</span>")
                .orElse("<span class=\"muted\">none</span>");
    }

    private static String age(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        if (seconds < 120) return seconds + "s";
        if (seconds < 7200) return seconds / 60 + "m";
        return seconds / 3600 + "h";
    }

    /** Links relative to "/" so the page also works behind a reverse proxy that adds a path prefix. */
    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
