package dev.crcexporter.capacity;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a number of ports stands against the purchased ports: the one pair of thresholds (80 % and 100 %) that the
 * landing page, its charts, the report and the alerts' documentation all use.
 */
public enum Level {
    /** At the capacity or above: every purchased port was busy, demand may have been higher. */
    FULL("full"),
    /** At 80 % of the capacity or more. */
    HIGH("high"),
    NORMAL("normal");

    private final String css;

    Level(String css) {
        this.css = css;
    }

    public static Level of(long ports, int capacity) {
        if (ports >= capacity) {
            return FULL;
        }
        // 80 % without floating point: ports / capacity >= 4/5
        return ports * 5 >= capacity * 4L ? HIGH : NORMAL;
    }

    /** Empty without a capacity: then no level can be told. */
    public static Optional<Level> of(long ports, OptionalInt capacity) {
        return capacity.isPresent() ? Optional.of(of(ports, capacity.getAsInt())) : Optional.empty();
    }

    /** The CSS class of pages and charts: "full", "high", "normal". */
    public String css() {
        return css;
    }
}
