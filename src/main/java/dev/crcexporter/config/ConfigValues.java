package dev.crcexporter.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads single values of the configuration; each message names the key and the bad value, never a secret. */
final class ConfigValues {
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#]*@");

    private ConfigValues() {}

    /** An upstream URL: absolute http(s), with a host, no query, fragment or user info; {@code fallback} when unset. */
    static URI url(String text, String fieldName, URI fallback) throws ConfigException {
        if (text == null) {
            return fallback;
        }
        URI uri = null;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            // reported below
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            // The APIs authenticate otherwise; credentials here would silently not be used.
            throw new ConfigException(fieldName + " must not hold user:password@ (got \"" + withoutUserInfo(text)
                    + "\")");
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
                && uri.getRawFragment() == null) {
            return uri;
        }
        throw new ConfigException(fieldName + " must be an absolute http or https URL without a query or fragment"
                + " (got \"" + withoutUserInfo(text) + "\")");
    }

    /** The URL as messages quote it: a password in it is not repeated. */
    private static String withoutUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst("***@");
    }

    static RequestMethod method(String text, String fieldName) throws ConfigException {
        if (text == null) {
            return RequestMethod.POST;
        }
        try {
            return RequestMethod.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(fieldName + " must be POST or GET (got \"" + text + "\")");
        }
    }

    static Source source(String text, String fieldName) throws ConfigException {
        if (text == null) {
            return Source.SYSTEC;
        }
        for (Source source : Source.values()) {
            if (source.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return source;
            }
        }
        throw new ConfigException(fieldName + " must be systec or zoom (got \"" + text + "\")");
    }

    static ZoneId zone(String text, String fieldName) throws ConfigException {
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new ConfigException(fieldName + " is not a known time zone (got \"" + text + "\")");
        }
    }

    static Duration positiveDuration(String text, String fieldName, Duration fallback) throws ConfigException {
        if (text == null) {
            return fallback;
        }
        Duration duration;
        try {
            duration = Durations.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(fieldName + " is not a duration like 30s, 5m or 1h (got \"" + text + "\")");
        }
        if (duration.isZero()) {
            throw new ConfigException(fieldName + " must be > 0 (got \"" + text + "\")");
        }
        return duration;
    }

    static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
