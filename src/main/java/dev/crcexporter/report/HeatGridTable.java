package dev.crcexporter.report;

import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.html.Html;
import dev.crcexporter.report.AccountReport.WeekdayHourGrid;
import dev.crcexporter.upstream.HourUsage;
import java.time.DayOfWeek;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The weekday x hour grid of highest peaks as an HTML table shaded from pale (0) to dark blue (the capacity, or
 * the highest cell without one); cells at capacity are red, cells without data are marked missing.
 *
 * <p>{@code <table class="heat-grid" data-account="hq">}, one {@code <td data-day="Tue" data-hour="10"
 * data-value="9">} per cell with data and {@code <td class="missing" data-day=... data-hour=...>} per cell without.
 */
final class HeatGridTable {
    static final String STYLE = """
            table.heat-grid{border-collapse:collapse;font-size:.7rem;margin:.6rem 0;width:100%;table-layout:fixed}
            table.heat-grid th{font-weight:500;color:#57606a;padding:1px}
            table.heat-grid td{text-align:center;padding:3px 0;border:1px solid #fff;color:#1f2328}
            table.heat-grid td.dark{color:#fff}
            table.heat-grid td.full{background:#cf222e;color:#fff}
            table.heat-grid td.missing{background:#f6f8fa;color:#8c959f}
            table.heat-grid th.day{width:2.6rem;text-align:left}
            """;
    private static final int[] PALE = {0xf0, 0xf4, 0xf8};
    private static final int[] DARK = {0x0a, 0x3d, 0x7a};

    private HeatGridTable() {}

    static void render(StringBuilder html, String account, WeekdayHourGrid grid, OptionalInt capacity) {
        long scale = Math.max(1, capacity.isPresent() ? capacity.getAsInt() : grid.highest());
        html.append("<table class=\"heat-grid\" data-account=\"").append(Html.escape(account))
                .append("\"><caption>Highest hourly peak by weekday and hour</caption>"
                        + "<thead><tr><th class=\"day\"></th>");
        for (int h = 0; h < 24; h++) {
            html.append("<th>").append(HourUsage.label(h)).append("</th>");
        }
        html.append("</tr></thead><tbody>\n");
        for (DayOfWeek day : DayOfWeek.values()) {
            String name = HourSelection.shortName(day);
            html.append("<tr><th class=\"day\">").append(name).append("</th>");
            for (int h = 0; h < 24; h++) {
                OptionalLong peak = grid.peak(day, h);
                html.append("<td data-day=\"").append(name).append("\" data-hour=\"").append(HourUsage.label(h))
                        .append('"');
                if (peak.isEmpty()) {
                    html.append(" class=\"missing\" title=\"").append(name).append(' ').append(HourUsage.label(h))
                            .append(":00: no data\">&middot;</td>");
                    continue;
                }
                long value = peak.getAsLong();
                boolean full = capacity.isPresent() && value >= capacity.getAsInt();
                double share = Math.min(1.0, (double) value / scale);
                html.append(" data-value=\"").append(value).append('"');
                if (full) {
                    html.append(" class=\"full\"");
                } else {
                    html.append(share > 0.55 ? " class=\"dark\"" : "").append(" style=\"background:")
                            .append(shade(share)).append('"');
                }
                html.append(" title=\"").append(name).append(' ').append(HourUsage.label(h))
                        .append(":00: highest peak ").append(value).append("\">").append(value).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static String shade(double share) {
        StringBuilder colour = new StringBuilder("#");
        for (int i = 0; i < 3; i++) {
            colour.append(String.format(Locale.ROOT, "%02x", Math.round(PALE[i] + (DARK[i] - PALE[i]) * share)));
        }
        return colour.toString();
    }
}
