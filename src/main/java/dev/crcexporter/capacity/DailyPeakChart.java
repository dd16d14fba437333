package dev.crcexporter.capacity;

import dev.crcexporter.capacity.Observations.DailyPeak;
import dev.crcexporter.html.Html;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Daily peaks as bars under the capacity line, with the recommendation as a line and optionally the weekly trend,
 * and a legend of what the chart draws (nothing else): inline SVG, no script, nothing loaded from elsewhere. Used by
 * the HTML report and by the daemon's landing page.
 *
 * <p>The SVG has no viewBox: it is as wide as its container and a fixed number of pixels high, bars and lines are
 * placed in percent of its width, so its text is never scaled down (a viewBox of 480 units drawn 310 pixels wide
 * would turn 10-pixel labels into 6.5-pixel ones on a phone).
 *
 * <p>Elements tests rely on: {@code <svg class="daily-peaks CSS-CLASS" data-account="hq">}, one
 * {@code <rect class="bar" data-date="2026-03-21" data-value="7">} per date with data, one
 * {@code <rect class="missing" data-date="2026-04-02">} per date without (never a bar of 0),
 * {@code <line class="capacity" data-value="40">}, {@code <line class="recommendation" data-value="44">},
 * {@code <line class="trend">} and {@code <p class="legend">} with one {@code <span class="swatch KIND">} per thing
 * drawn.
 */
public final class DailyPeakChart {
    /** Percent of the width left of the bars, for the scale's labels. */
    private static final double LEFT = 6;
    private static final double RIGHT = 1;
    private static final int TOP = 12;
    /** Pixels under the bars, for the dates. */
    private static final int UNDER = 26;
    /** Above this many days only the first Monday of each month is labelled on narrow screens. */
    private static final int MANY_DAYS = 45;

    /** The chart's CSS, for pages that embed it. */
    public static final String STYLE = """
            svg.daily-peaks{width:100%;display:block;overflow:visible}
            svg.daily-peaks text{font-size:11px;fill:#57606a;paint-order:stroke;stroke:#fff;stroke-width:3px}
            svg.daily-peaks .bar,.swatch.bar{fill:#2f6fb0;background:#2f6fb0}
            svg.daily-peaks .bar.high,.swatch.high{fill:#d4a72c;background:#d4a72c}
            svg.daily-peaks .bar.full,.swatch.full{fill:#cf222e;background:#cf222e}
            svg.daily-peaks .missing{fill:#eaeef2;stroke:#8c959f;stroke-width:.5;stroke-dasharray:2 2}
            .swatch.missing{background:#eaeef2;border:1px dashed #8c959f}
            svg.daily-peaks line.capacity{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:5 3}
            svg.daily-peaks line.recommendation{stroke:#8250df;stroke-width:1.5;stroke-dasharray:1 2}
            .swatch.recommendation{background:#8250df}.swatch.capacity{background:#cf222e}
            svg.daily-peaks line.trend{stroke:#1a7f37;stroke-width:2}.swatch.trend{background:#1a7f37}
            svg.daily-peaks .axis{stroke:#8c959f;stroke-width:1}
            .legend{font-size:.75rem;color:#57606a;margin:.1rem 0 0}
            .swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;vertical-align:-1px;\
            margin:0 .2rem 0 .6rem}
            .swatch.capacity,.swatch.recommendation,.swatch.trend{height:.2rem;vertical-align:2px}
            .legend .entry{white-space:nowrap}.legend .entry:first-child .swatch{margin-left:0}
            @media (max-width:640px){svg.daily-peaks.many-days text.week{display:none}}
            """;

    /** What a chart drew, for its legend. */
    private enum Drawn { BAR, HIGH, FULL, MISSING, CAPACITY, RECOMMENDATION, TREND }

    private final int height;

    /** @param height in pixels; the chart is as wide as its container */
    public DailyPeakChart(int height) {
        this.height = height;
    }

    /** The chart and its legend. */
    public String render(String cssClass, String account, List<DailyPeak> days, OptionalInt capacity,
            Optional<Recommendation> recommendation, Optional<WeeklyTrend> trend) {
        int bottom = height - UNDER;
        long highest = days.stream().mapToLong(d -> d.peak().orElse(0)).max().orElse(0);
        long top = niceCeiling(Math.max(1, Math.max(highest, Math.max(capacity.orElse(0),
                recommendation.map(Recommendation::ports).orElse(0L)))));
        double slot = (100 - LEFT - RIGHT) / Math.max(1, days.size());
        Set<Drawn> drawn = EnumSet.noneOf(Drawn.class);
        String name = Html.escape(account);
        StringBuilder svg = new StringBuilder(512 + 170 * days.size());
        svg.append("<svg class=\"daily-peaks ").append(Html.escape(cssClass))
                .append(days.size() > MANY_DAYS ? " many-days" : "").append("\" data-account=\"").append(name)
                .append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"Daily peak CRC ports of ").append(name)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">")
                .append("<line class=\"axis\" x1=\"").append(pct(LEFT)).append("\" y1=\"").append(bottom)
                .append("\" x2=\"").append(pct(100 - RIGHT)).append("\" y2=\"").append(bottom).append("\"/>")
                .append(text(pct(LEFT - 0.6), bottom + 4, "end", "", "0"))
                .append(text(pct(LEFT - 0.6), TOP + 4, "end", "", Long.toString(top)));
        for (int i = 0; i < days.size(); i++) {
            DailyPeak day = days.get(i);
            double x = LEFT + i * slot;
            if (day.date().getDayOfWeek() == DayOfWeek.MONDAY) {
                svg.append(text(pct(x), bottom + 16, "start", day.date().getDayOfMonth() <= 7 ? "month" : "week",
                        day.date().toString().substring(5)));
            }
            if (day.peak().isEmpty()) {
                drawn.add(Drawn.MISSING);
                svg.append("\n<rect class=\"missing\" data-date=\"").append(day.date()).append("\" x=\"")
                        .append(pct(x + slot * 0.1)).append("\" y=\"").append(bottom - 8).append("\" width=\"")
                        .append(pct(slot * 0.8)).append("\" height=\"8\"><title>").append(day.date())
                        .append(": no data</title></rect>");
                continue;
            }
            long value = day.peak().getAsLong();
            double barHeight = (bottom - TOP) * (double) value / top;
            Level level = Level.of(value, capacity).orElse(Level.NORMAL);
            drawn.add(level == Level.FULL ? Drawn.FULL : level == Level.HIGH ? Drawn.HIGH : Drawn.BAR);
            svg.append("\n<rect class=\"bar").append(level == Level.NORMAL ? "" : " " + level.css())
                    .append("\" data-date=\"").append(day.date()).append("\" data-value=\"").append(value)
                    .append("\" x=\"").append(pct(x + slot * 0.1))
                    .append("\" y=\"").append(px(bottom - barHeight)).append("\" width=\"").append(pct(slot * 0.8))
                    .append("\" height=\"").append(px(barHeight)).append("\"><title>").append(day.date()).append(' ')
                    .append(HourSelection.shortName(day.date().getDayOfWeek()))
                    .append(": peak ").append(value).append(value == 1 ? " port" : " ports")
                    .append(level == Level.FULL ? " (at capacity: demand may have been higher)" : "")
                    .append("</title></rect>");
        }
        trend.ifPresent(t -> {
            if (trendLine(svg, t, days, slot, top, bottom)) {
                drawn.add(Drawn.TREND);
            }
        });
        if (capacity.isPresent()) {
            drawn.add(Drawn.CAPACITY);
            horizontal(svg, "capacity", capacity.getAsInt(), top, bottom, "capacity " + capacity.getAsInt(), "start");
        }
        recommendation.ifPresent(r -> {
            drawn.add(Drawn.RECOMMENDATION);
            horizontal(svg, "recommendation", r.ports(), top, bottom, "recommended " + r.portsText(), "end");
        });
        if (days.stream().allMatch(d -> d.peak().isEmpty())) {
            svg.append(text("50%", (TOP + bottom) / 2.0, "middle", "", "no data"));
        }
        return svg.append("</svg>\n").append(legend(drawn, capacity)).toString();
    }

    /** One entry per kind of thing drawn, in a fixed order. */
    private static String legend(Set<Drawn> drawn, OptionalInt capacity) {
        if (drawn.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<p class=\"legend\">");
        for (Drawn kind : drawn) {
            String label = switch (kind) {
                case BAR -> capacity.isPresent() ? "daily peak below 80&#8239;%" : "daily peak";
                case HIGH -> "&ge;&#8239;80&#8239;% of capacity";
                case FULL -> "at capacity";
                case MISSING -> "no data";
                case CAPACITY -> "purchased ports (dashed)";
                case RECOMMENDATION -> "recommended (dotted)";
                case TREND -> "trend of weekly peaks";
            };
            html.append(legendEntry(kind.name().toLowerCase(Locale.ROOT), label)).append(' ');
        }
        return html.toString().stripTrailing() + "</p>\n";
    }

    /** One entry of a legend, kept on one line: a swatch of CSS class {@code kind} and its label (HTML). */
    public static String legendEntry(String kind, String label) {
        return "<span class=\"entry\"><span class=\"swatch " + kind + "\"></span>" + label + "</span>";
    }

    /** A line across the chart at {@code value}, labelled at its start or its end (so two close lines stay legible). */
    private void horizontal(StringBuilder svg, String cssClass, long value, long top, int bottom, String label,
            String anchor) {
        double y = bottom - (bottom - TOP) * (double) value / top;
        svg.append("\n<line class=\"").append(cssClass).append("\" data-value=\"").append(value).append("\" x1=\"")
                .append(pct(LEFT)).append("\" y1=\"").append(px(y)).append("\" x2=\"").append(pct(100 - RIGHT))
                .append("\" y2=\"").append(px(y)).append("\"><title>").append(Html.escape(label))
                .append("</title></line>")
                .append(text(anchor.equals("start") ? pct(LEFT + 0.8) : pct(100 - RIGHT - 0.8), y - 3, anchor, "",
                        label));
    }

    /** The fitted line over the whole period, cut to the part between 0 and the top of the scale; false if none. */
    private static boolean trendLine(StringBuilder svg, WeeklyTrend trend, List<DailyPeak> days, double slot, long top,
            int bottom) {
        if (trend.slope().isEmpty() || days.isEmpty()) {
            return false;
        }
        LocalDate firstMonday = trend.weeks().get(0).weekStart();
        LocalDate first = days.get(0).date();
        // A week's fitted value belongs to its middle (Thursday): at day index i the line is
        // a + slope/7 * (i + offset).
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
            return false;
        }
        if (start > end) {
            return false;
        }
        double y1 = a + b * (start + offset);
        double y2 = a + b * (end + offset);
        svg.append("\n<line class=\"trend\" x1=\"").append(pct(LEFT + (start + 0.5) * slot)).append("\" y1=\"")
                .append(px(bottom - (bottom - TOP) * y1 / top)).append("\" x2=\"")
                .append(pct(LEFT + (end + 0.5) * slot)).append("\" y2=\"")
                .append(px(bottom - (bottom - TOP) * y2 / top))
                .append("\"><title>trend of weekly peaks: ")
                .append(String.format(Locale.ROOT, "%+.2f", trend.slope().getAsDouble()))
                .append(" ports per week</title></line>");
        return true;
    }

    private static String text(String x, double y, String anchor, String cssClass, String text) {
        return "<text" + (cssClass.isEmpty() ? "" : " class=\"" + cssClass + "\"") + " x=\"" + x + "\" y=\"" + px(y)
                + "\" text-anchor=\"" + anchor + "\">" + Html.escape(text) + "</text>";
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

    /** A length in percent of the chart's width, as an SVG attribute. */
    public static String pct(double percent) {
        return String.format(Locale.ROOT, "%.2f%%", percent);
    }

    /** A length in pixels, as an SVG attribute. */
    public static String px(double pixels) {
        return String.format(Locale.ROOT, "%.1f", pixels);
    }
}
