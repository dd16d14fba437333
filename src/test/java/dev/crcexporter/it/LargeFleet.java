package dev.crcexporter.it;

import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.FakeCrcApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Many accounts ({@code account-0}.., keys {@code key-0}.., secret "secret", capacity 40) answered by one fake
 * upstream, each with two complete days: the configuration is in a zone where it is about 23:00 now, so that today has
 * (nearly) all its hours and the answers their full size whenever the test runs.
 */
final class LargeFleet {
    private final FakeCrcApi upstream;
    private final ZoneOffset zone;

    LargeFleet(FakeCrcApi upstream) {
        this.upstream = upstream;
        int utcHour = Instant.now().atOffset(ZoneOffset.UTC).getHour();
        this.zone = ZoneOffset.ofHours(Math.floorMod(23 - utcHour + 12, 24) - 12);
    }

    /** Writes the configuration of the first {@code accounts} accounts to {@code file}, registering them upstream. */
    Path config(int accounts, Path file) throws IOException {
        LocalDate today = LocalDate.now(zone);
        StringBuilder yaml = new StringBuilder().append("api_url: ").append(upstream.url())
                .append("\ntimezone: \"").append(zone.getId()).append("\"\npoll_interval: 1h\ntimeout: 10s\n")
                .append("concurrency: 32\naccounts:\n");
        for (int i = 0; i < accounts; i++) {
            upstream.account("key-" + i, "secret",
                    List.of(Days.peakingAtTen(today.minusDays(1).toString(), 10 + i % 30),
                            Days.peakingAtTen(today.toString(), 12 + i % 25)));
            yaml.append("  - {name: account-").append(i).append(", api_key: key-").append(i)
                    .append(", api_secret: secret, capacity: 40}\n");
        }
        return Files.writeString(file, yaml);
    }
}
