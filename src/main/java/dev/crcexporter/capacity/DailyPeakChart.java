package dev.crcexporter.capacity;

import dev.crcexporter.capacity.Observations.DailyPeak;
import dev.crcexporter.html.Html;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Daily peaks as bars under the capacity line, with the recommendation as a line and optionally the weekly trend:
 * inline SVG, no script, nothing loaded from elsewhere. Used by the HTML report and by the daemon's landing page.
 *
 * <p>Elements tests rely on: {@code <svg class="daily-peaks CSS-CLASS" data-account="hq">}, one
 * {@code <rect class="bar" data-date="2026-03-21" data-value="7">} per date with data, one
 * {@code <rect class="missing" data-date="2026-04-02">} per date without (never a bar of 0),
 * {@code <line class="capacity" data-value="40">}, {@code <line class="recommendation" data-value="44">} and
 * {@code <line class="trend">}.
 */
public final class DailyPeakChart {
    private static final int HEIGHT = 200;
    private static final int LEFT = 34;
    private static final int RIGHT = 8;
    private static final int TOP = 10;
    private static final int BOTTOM = 170;

    /** The chart's CSS, for pages that embed it. */
    public static final String STYLE = """
            svg.daily-peaks text{font-size:10px;fill:#57606a;paint-order:stroke;stroke:#fff;stroke-width:3px}
            svg.daily-peaks .bar{fill:#2f6fb0}svg.daily-peaks .bar.high{fill:#d4a72c}svg.daily-peaks .bar.full{fill:#cf222e}
            svg.daily-peaks .missing{fill:#eaeef2;stroke:#8c959f;stroke-width:.5;stroke-dasharray:2 2}
            svg.daily-peaks line.capacity{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:5 3}
            svg.daily-peaks line.recommendation{stroke:#8250df;stroke-width:1.5;stroke-dasharray:1 2}
            svg.daily-peaks line.trend{stroke:#1a7f37;stroke-width:2}
            svg.daily-peaks .axis{stroke:#8c959f;stroke-width:1}
            """;

    private final int width;

    /** @param width in SVG units; the SVG scales to its container */
    public DailyPeakChart(int width) {
        this.width = width;
    }

    public String render(String cssClass, String account, List<DailyPeak> days, OptionalInt capacity,
            Optional<Recommendation> recommendation, Optional<WeeklyTrend> trend) {
        long highest = days.stream().mapToLong(d -> d.peak().orElse(0)).max().orElse(0);
        long top = niceCeiling(Math.max(1, Math.max(highest, Math.max(capacity.orElse(0),
                recommendation.map(Recommendation::ports).orElse(0L)))));
        double slot = (double) (width - LEFT - RIGHT) / Math.max(1, days.size());
        String name = Html.escape(account);
        StringBuilder svg = new StringBuilder(256 + 160 * days.size());
        svg.append("<svg class=\"daily-peaks ").append(Html.escape(cssClass)).append("\" data-account=\"").append(name)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Daily peak CRC ports of ").append(name)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">")
                .append(line("axis", LEFT, BOTTOM, width - RIGHT, BOTTOM))
                .append(text(LEFT - 4, BOTTOM + 3, "end", "0")).append(text(LEFT - 4, TOP + 4, "end", Long.toString(top)));
        for (int i = 0; i < days.size(); i++) {
            DailyPeak day = days.get(i);
            double x = LEFT + i * slot;
            if (day.date().getDayOfWeek() == DayOfWeek.MONDAY && (days.size() <= 120 || day.date().getDayOfMonth() <= 7)) {
                svg.append(text(x, BOTTOM + 12, "start", day.date().toString().substring(5)));
            }
            if (day.peak().isEmpty()) {
                svg.append("\n<rect class=\"missing\" data-date=\"").append(day.date()).append("\" x=\"").append(fmt(x + slot * 0.1))
                        .append("\" y=\"").append(BOTTOM - 8).append("\" width=\"").append(fmt(slot * 0.8))
                        .append("\" height=\"8\"><title>").append(day.date()).append(": no data</title></rect>");
                continue;
            }
            long value = day.peak().getAsLong();
            double height = (BOTTOM - TOP) * (double) value / top;
            String level = capacity.isEmpty() ? "" : value >= capacity.getAsInt() ? " full"
                    : value * 5 >= capacity.getAsInt() * 4L ? " high" : "";
            svg.append("\n<rect class=\"bar").append(level).append("\" data-date=\"").append(day.date())
                    .append("\" data-value=\"").append(value).append("\" x=\"").append(fmt(x + slot * 0.1)).append("\" y=\"")
                    .append(fmt(BOTTOM - height)).append("\" width=\"").append(fmt(slot * 0.8)).append("\" height=\"")
                    .append(fmt(height)).append("\"><title>").append(day.date()).append(' ')
                    .append(HourSelection.shortName(day.date().getDayOfWeek()))
                    .append(": peak ").append(value).append(value == 1 ? " port" : " ports")
                    .append(level.equals(" full") ? " (at capacity: demand may have been higher)" : "").append("</title></rect>");
        }
        trend.ifPresent(t -> trendLine(svg, t, days, slot, top));
        if (capacity.isPresent()) {
            horizontal(svg, "capacity", capacity.getAsInt(), top, "capacity " + capacity.getAsInt(), "start");
        }
        recommendation.ifPresent(r -> horizontal(svg, "recommendation", r.ports(), top, "recommended " + r.portsText(), "end"));
        if (days.stream().allMatch(d -> d.peak().isEmpty())) {
            svg.append(text(width / 2.0, (TOP + BOTTOM) / 2.0, "middle", "no data"));
        }
        return svg.append("</svg>\n").toString();
    }

    /** A line across the chart at {@code value}, labelled at its start or its end (so two close lines stay legible). */
    private void horizontal(StringBuilder svg, String cssClass, long value, long top, String label, String anchor) {
        double y = BOTTOM - (BOTTOM - TOP) * (double) value / top;
        svg.append("\n<line class=\"").append(cssClass).append("\" data-value=\"").append(value).append("\" x1=\"").append(LEFT)
                .append("\" y1=\"").append(fmt(y)).append("\" x2=\"").append(width - RIGHT).append("\" y2=\"").append(fmt(y))
                .append("\"><title>").append(Html.escape(label)).append("</title></line>")
                .append(text(anchor.equals("start") ? LEFT + 4 : width - RIGHT - 4, y - 3, anchor, label));
    }

    /** The fitted line over the whole period, cut to the part between 0 and the top of the scale. */
    private void trendLine(StringBuilder svg, WeeklyTrend trend, List<DailyPeak> days, double slot, long top) {
        if (trend.slope().isEmpty() || days.isEmpty()) {
            return;
        }
        LocalDate firstMonday = trend.weeks().get(0).weekStart();
        LocalDate first = days.get(0).date();
        // A week's fitted value belongs to its middle (Thursday): at day index i the line is a + slope/7 * (i + offset).
        double a = trend.intercept().getAsDouble();
        double b = trend.slope().getAsDouble() / 7;
        double offset = first.toEpochDay() - firstMonday.toEpochDay() - 3;
        double start = 0;
        double end = days.size() - 1;
        // a + b * (i + offset) within [0, top]
        if (b != 0) {
            double atZero = -a / b - offset;
            double atTop = (top - a) / b - offset;
            start = Math.max(start, Math.min(atZero, atTop));
            end = Math.min(end, Math.max(atZero, atTop));
        } else if (a < 0 || a > top) {
            return;
        }
        if (start > end) {
            return;
        }
        double y1 = a + b * (start + offset);
        double y2 = a + b * (end + offset);
        svg.append("\n<line class=\"trend\" x1=\"").append(fmt(LEFT + (start + 0.5) * slot)).append("\" y1=\"")
                .append(fmt(BOTTOM - (BOTTOM - TOP) * y1 / top)).append("\" x2=\"")
                .append(fmt(LEFT + (end + 0.5) * slot)).append("\" y2=\"").append(fmt(BOTTOM - (BOTTOM - TOP) * y2 / top))
                .append("\"><title>trend of weekly peaks: ").append(String.format(Locale.ROOT, "%+.2f", trend.slope().getAsDouble()))
                .append(" ports per week</title></line>");
    }

    private static String line(String cssClass, double x1, double y1, double x2, double y2) {
        return "<line class=\"" + cssClass + "\" x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\""
                + fmt(y2) + "\"/>";
    }

    private static String text(double x, double y, String anchor, String text) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + Html.escape(text) + "</text>";
    }

    /** 1, 2, 5 times a power of ten: a round top for a chart's scale. */
    public static long niceCeiling(long value) {
        long power = 1;
        while (true) {
            for (long step : new long[] {1, 2, 5}) {
                if (step * power >= value) {
                    return step * power;
                }
            }
            power *= 10;
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
