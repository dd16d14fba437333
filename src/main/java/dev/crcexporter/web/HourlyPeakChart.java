package dev.crcexporter.web;

import static dev.crcexporter.capacity.DailyPeakChart.pct;
import static dev.crcexporter.capacity.DailyPeakChart.px;

import dev.crcexporter.capacity.DailyPeakChart;
import dev.crcexporter.capacity.Level;
import dev.crcexporter.poll.DateWindow;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The landing page card's bar chart: one bar per hourly peak of yesterday and today (48 slots), the capacity as a
 * dashed line, and a legend of what it draws (only that). Inline SVG, no script, nothing loaded from elsewhere; its
 * CSS is in landing-page.css. Like {@link DailyPeakChart} (the card's 30 days, shared with the HTML report) it has
 * no viewBox: bars are placed in percent of its width and its labels keep their size on a phone.
 *
 * <p>Elements tests rely on: {@code <svg class="usage-chart" data-account="hq">}, one
 * {@code <rect class="bar" data-date="2026-11-26" data-hour="10" data-value="30">} per reported hour and
 * {@code <line class="capacity" data-value="40">} when a capacity is configured.
 */
final class HourlyPeakChart {
    private static final int HEIGHT = 150;
    /** Percent of the width left of the bars, for the scale's labels. */
    private static final double LEFT = 6;
    private static final double RIGHT = 1;
    private static final int TOP = 12;
    private static final int BOTTOM = 120;
    private static final double SLOT = (100 - LEFT - RIGHT) / 48.0;

    /** What the chart drew, for its legend. */
    private enum Drawn { YESTERDAY, TODAY, HIGH, FULL, CAPACITY }

    private HourlyPeakChart() {}

    /**
     * Appends the chart of one account's card and its legend. {@code name} is already HTML-escaped; {@code days}
     * are the account's days cut by {@code window} (yesterday and today).
     */
    static void append(StringBuilder svg, String name, List<DailyUsage> days, DateWindow window, OptionalInt capacity) {
        long highest = days.stream().map(DailyUsage::peak).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).max().orElse(0);
        long top = DailyPeakChart.niceCeiling(Math.max(1, Math.max(highest, capacity.orElse(0))));
        Set<Drawn> drawn = EnumSet.noneOf(Drawn.class);
        svg.append("<svg class=\"usage-chart\" data-account=\"").append(name).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Hourly peak CRC ports of ").append(name)
                .append(", yesterday and today\" xmlns=\"http://www.w3.org/2000/svg\">");
        // axes, scale and the line between the days
        svg.append("<line class=\"axis\" x1=\"").append(pct(LEFT)).append("\" y1=\"").append(BOTTOM).append("\" x2=\"")
                .append(pct(100 - RIGHT)).append("\" y2=\"").append(BOTTOM).append("\"/>")
                .append(text(pct(LEFT - 0.6), BOTTOM + 4, "end", "0"))
                .append(text(pct(LEFT - 0.6), TOP + 4, "end", Long.toString(top)))
                .append("<line class=\"divider\" x1=\"").append(pct(LEFT + 24 * SLOT)).append("\" y1=\"").append(TOP)
                .append("\" x2=\"").append(pct(LEFT + 24 * SLOT)).append("\" y2=\"").append(BOTTOM).append("\"/>");
        for (int slot = 0; slot < 48; slot += 6) {
            svg.append(text(pct(LEFT + slot * SLOT + 0.3), BOTTOM + 13, "start", HourUsage.label(slot % 24)));
        }
        svg.append(text(pct(LEFT + 12 * SLOT), HEIGHT - 3, "middle", "yesterday " + window.yesterday()))
                .append(text(pct(LEFT + 36 * SLOT), HEIGHT - 3, "middle", "today " + window.today()));
        // one bar per reported hour
        for (DailyUsage day : days) {
            boolean today = day.date().equals(window.today());
            for (HourUsage hour : day.hours()) {
                int slot = (today ? 24 : 0) + hour.hour();
                double height = (BOTTOM - TOP) * (double) hour.maxUsage() / top;
                Level level = Level.of(hour.maxUsage(), capacity).orElse(Level.NORMAL);
                drawn.add(level == Level.FULL ? Drawn.FULL : level == Level.HIGH ? Drawn.HIGH
                        : today ? Drawn.TODAY : Drawn.YESTERDAY);
                svg.append("\n<rect class=\"bar ").append(today ? "today" : "yesterday")
                        .append(level == Level.NORMAL ? "" : " " + level.css())
                        .append("\" data-date=\"").append(day.date()).append("\" data-hour=\"").append(hour.label())
                        .append("\" data-value=\"").append(hour.maxUsage())
                        .append("\" x=\"").append(pct(LEFT + slot * SLOT + 0.15))
                        .append("\" y=\"").append(px(BOTTOM - height)).append("\" width=\"").append(pct(SLOT - 0.3))
                        .append("\" height=\"").append(px(height)).append("\"><title>").append(day.date()).append(' ')
                        .append(hour.label()).append(":00: peak ").append(hour.maxUsage())
                        .append(hour.maxUsage() == 1 ? " port" : " ports").append("</title></rect>");
            }
        }
        if (capacity.isPresent()) {
            drawn.add(Drawn.CAPACITY);
            double y = BOTTOM - (BOTTOM - TOP) * (double) capacity.getAsInt() / top;
            svg.append("\n<line class=\"capacity\" data-value=\"").append(capacity.getAsInt()).append("\" x1=\"")
                    .append(pct(LEFT)).append("\" y1=\"").append(px(y)).append("\" x2=\"").append(pct(100 - RIGHT))
                    .append("\" y2=\"").append(px(y)).append("\"><title>capacity: ").append(capacity.getAsInt())
                    .append(" purchased ports</title></line>");
        }
        if (days.stream().allMatch(d -> d.hours().isEmpty())) {
            svg.append(text("50%", (TOP + BOTTOM) / 2.0, "middle", "no data yet"));
        }
        svg.append("</svg>\n");
        legend(svg, drawn);
    }

    /** Only what the chart drew, in a fixed order. */
    private static void legend(StringBuilder html, Set<Drawn> drawn) {
        if (drawn.isEmpty()) {
            return;
        }
        html.append("<p class=\"legend\">");
        for (Drawn kind : drawn) {
            String label = switch (kind) {
                case YESTERDAY -> "yesterday";
                case TODAY -> "today";
                case HIGH -> "&ge;&#8239;80&#8239;% of capacity";
                case FULL -> "at capacity";
                case CAPACITY -> "purchased ports (dashed)";
            };
            html.append(DailyPeakChart.legendEntry(kind.name().toLowerCase(Locale.ROOT), label)).append(' ');
        }
        html.setLength(html.length() - 1);
        html.append("</p>\n");
    }

    private static String text(String x, double y, String anchor, String text) {
        return "<text x=\"" + x + "\" y=\"" + px(y) + "\" text-anchor=\"" + anchor + "\">" + text + "</text>";
    }
}
