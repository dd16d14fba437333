package dev.crcexporter.web;

import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.capacity.DailyPeakChart;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The landing page card's bar chart: one bar per hourly peak of yesterday and today (48 slots), the capacity as a
 * dashed line, and the legend under it. Inline SVG, no script, nothing loaded from elsewhere; its CSS is in
 * landing-page.css. The 30-day chart of the card is {@link DailyPeakChart}, shared with the HTML report.
 *
 * <p>Elements tests rely on: {@code <svg class="usage-chart" data-account="hq">}, one
 * {@code <rect class="bar" data-date="2026-11-26" data-hour="10" data-value="30">} per reported hour and
 * {@code <line class="capacity" data-value="40">} when a capacity is configured.
 */
final class HourlyPeakChart {
    // Chart geometry (SVG user units; the SVG scales to the card's width).
    private static final int WIDTH = 480;
    private static final int HEIGHT = 150;
    private static final int LEFT = 30;
    private static final int RIGHT = 8;
    private static final int TOP = 10;
    private static final int BOTTOM = 122;
    private static final double SLOT = (WIDTH - LEFT - RIGHT) / 48.0;

    private HourlyPeakChart() {}

    /**
     * Appends the chart of one account's card and its legend. {@code name} is already HTML-escaped; {@code days}
     * are the account's days cut by {@code window} (yesterday and today).
     */
    static void append(StringBuilder svg, String name, List<DailyUsage> days, DateWindow window, OptionalInt capacity) {
        long highest = days.stream().map(DailyUsage::peak).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).max().orElse(0);
        long top = DailyPeakChart.niceCeiling(Math.max(1, Math.max(highest, capacity.orElse(0))));
        svg.append("<svg class=\"usage-chart\" data-account=\"").append(name).append("\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"Hourly peak CRC ports of ")
                .append(name).append(", yesterday and today\" xmlns=\"http://www.w3.org/2000/svg\">");
        // axes, scale and the line between the days
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(BOTTOM).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(BOTTOM).append("\"/>")
                .append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(BOTTOM + 3).append("\" text-anchor=\"end\">0</text>")
                .append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 4).append("\" text-anchor=\"end\">")
                .append(top).append("</text>")
                .append("<line class=\"divider\" x1=\"").append(fmt(LEFT + 24 * SLOT)).append("\" y1=\"").append(TOP)
                .append("\" x2=\"").append(fmt(LEFT + 24 * SLOT)).append("\" y2=\"").append(BOTTOM).append("\"/>");
        for (int slot = 0; slot < 48; slot += 6) {
            svg.append("<text x=\"").append(fmt(LEFT + slot * SLOT + 1)).append("\" y=\"").append(BOTTOM + 11).append("\">")
                    .append(HourUsage.label(slot % 24)).append("</text>");
        }
        svg.append("<text x=\"").append(fmt(LEFT + 12 * SLOT)).append("\" y=\"").append(HEIGHT - 3)
                .append("\" text-anchor=\"middle\">yesterday ").append(window.yesterday()).append("</text>")
                .append("<text x=\"").append(fmt(LEFT + 36 * SLOT)).append("\" y=\"").append(HEIGHT - 3)
                .append("\" text-anchor=\"middle\">today ").append(window.today()).append("</text>");
        // one bar per reported hour
        for (DailyUsage day : days) {
            boolean today = day.date().equals(window.today());
            for (HourUsage hour : day.hours()) {
                int slot = (today ? 24 : 0) + hour.hour();
                double height = (BOTTOM - TOP) * (double) hour.maxUsage() / top;
                String level = capacity.isEmpty() ? "" : hour.maxUsage() >= capacity.getAsInt() ? " full"
                        : hour.maxUsage() >= 0.8 * capacity.getAsInt() ? " high" : "";
                svg.append("\n<rect class=\"bar ").append(today ? "today" : "yesterday").append(level)
                        .append("\" data-date=\"").append(day.date()).append("\" data-hour=\"").append(hour.label())
                        .append("\" data-value=\"").append(hour.maxUsage()).append("\" x=\"").append(fmt(LEFT + slot * SLOT + 1))
                        .append("\" y=\"").append(fmt(BOTTOM - height)).append("\" width=\"").append(fmt(SLOT - 2))
                        .append("\" height=\"").append(fmt(height)).append("\"><title>").append(day.date()).append(' ')
                        .append(hour.label()).append(":00: peak ").append(hour.maxUsage())
                        .append(hour.maxUsage() == 1 ? " port" : " ports").append("</title></rect>");
            }
        }
        if (capacity.isPresent()) {
            double y = BOTTOM - (BOTTOM - TOP) * (double) capacity.getAsInt() / top;
            svg.append("\n<line class=\"capacity\" data-value=\"").append(capacity.getAsInt()).append("\" x1=\"").append(LEFT)
                    .append("\" y1=\"").append(fmt(y)).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y2=\"").append(fmt(y))
                    .append("\"><title>capacity: ").append(capacity.getAsInt()).append(" purchased ports</title></line>");
        }
        if (days.stream().allMatch(d -> d.hours().isEmpty())) {
            svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append((TOP + BOTTOM) / 2)
                    .append("\" text-anchor=\"middle\">no data yet</text>");
        }
        svg.append("</svg>\n");
        svg.append("<p class=\"legend\"><span class=\"swatch\" style=\"background:#a5c3e6;margin-left:0\"></span>yesterday")
                .append("<span class=\"swatch\" style=\"background:#2f6fb0\"></span>today");
        if (capacity.isPresent()) {
            svg.append("<span class=\"swatch\" style=\"background:#d4a72c\"></span>&ge;&#8239;80&#8239;%")
                    .append("<span class=\"swatch\" style=\"background:#cf222e\"></span>at capacity (dashed line)");
        }
        svg.append("</p>\n");
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
