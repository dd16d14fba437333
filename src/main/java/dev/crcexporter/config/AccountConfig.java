package dev.crcexporter.config;

import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One CRC account to poll.
 *
 * @param name        the {@code account} label value
 * @param credentials how it signs in, which also says its source
 * @param capacity    purchased CRC ports, when configured
 * @param timezone    the zone of this account's dates and hours when it overrides the configuration's
 */
public record AccountConfig(String name, Credentials credentials, OptionalInt capacity, Optional<ZoneId> timezone) {

    /** A seed-API account in the configuration's zone (the shape of every account before Zoom came). */
    public AccountConfig(String name, String apiKey, Secret apiSecret, OptionalInt capacity) {
        this(name, new Credentials.Systec(apiKey, apiSecret), capacity, Optional.empty());
    }

    public Source source() {
        return credentials.source();
    }

    /** The zone this account's dates and hours are read in: its own, else {@code configured}. */
    public ZoneId zone(ZoneId configured) {
        return timezone.orElse(configured);
    }
}
