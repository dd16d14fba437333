package dev.crcexporter.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a value in text however the value was encoded on its way there, character by character: raw,
 * percent-encoded (either hex case, {@code +} or {@code %20} for a space, even percent-encoded twice),
 * JSON-escaped ({@code \"}, {@code \/}, Unicode escapes in either hex case) or as an HTML character reference
 * ({@code &lt;}, {@code &#233;}, {@code &#xE9;}), or as UTF-8 bytes misread as ISO-8859-1 (HTTP headers
 * echoed back). Each character may take any of these forms, so mixtures
 * (a JSON string quoting a form body) are found too. No regular expression: a pattern with one group per
 * character of a long token would recurse deeper than a small thread stack allows.
 */
final class EncodedForms {
    private final int[] codePoints;

    EncodedForms(String value) {
        this.codePoints = value.codePoints().toArray();
    }

    /** The end (exclusive) of the longest encoded form of the value that starts at {@code start}, or -1. */
    int matchEnd(String text, int start) {
        // The set of positions reachable after matching each character (almost always one): no backtracking, no
        // recursion.
        int[] positions = {start};
        for (int codePoint : codePoints) {
            int[] next = new int[positions.length * 2];
            int count = 0;
            for (int position : positions) {
                for (int end : formEnds(text, position, codePoint)) {
                    if (end > 0 && !contains(next, count, end)) {
                        if (count == next.length) {
                            next = Arrays.copyOf(next, count * 2);
                        }
                        next[count++] = end;
                    }
                }
            }
            if (count == 0) {
                return -1;
            }
            positions = Arrays.copyOf(next, count);
        }
        return Arrays.stream(positions).max().orElse(-1);
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Where each form of {@code codePoint} starting at {@code at} ends; 0 for a form that is not there. */
    private static int[] formEnds(String text, int at, int codePoint) {
        return new int[] {
                raw(text, at, codePoint),
                utf8ReadAsLatin1(text, at, codePoint),
                codePoint == ' ' && at < text.length() && text.charAt(at) == '+' ? at + 1 : 0,
                percent(text, at, codePoint, false),
                percent(text, at, codePoint, true),
                jsonUnicode(text, at, codePoint),
                jsonShort(text, at, codePoint),
                htmlReference(text, at, codePoint)};
    }

    private static int raw(String text, int at, int codePoint) {
        String chars = Character.toString(codePoint);
        return text.startsWith(chars, at) ? at + chars.length() : 0;
    }

    /** {@code Ã©} for {@code é}: UTF-8 bytes read one char each, as the JDK reads HTTP status lines and headers. */
    private static int utf8ReadAsLatin1(String text, int at, int codePoint) {
        if (codePoint < 0x80) {
            return 0; // the raw form
        }
        int position = at;
        for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
            if (position >= text.length() || text.charAt(position) != (b & 0xFF)) {
                return 0;
            }
            position++;
        }
        return position;
    }

    /** {@code %C3%A9} (or {@code %25C3%25A9} when {@code twice}), hex digits in either case. */
    private static int percent(String text, int at, int codePoint, boolean twice) {
        int position = at;
        for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
            if (!text.startsWith(twice ? "%25" : "%", position)) {
                return 0;
            }
            position += twice ? 3 : 1;
            if (hex(text, position, 2) != (b & 0xFF)) {
                return 0;
            }
            position += 2;
        }
        return position;
    }

    /** A JSON Unicode escape (backslash, u, four hex digits), or a surrogate pair for characters beyond the BMP. */
    private static int jsonUnicode(String text, int at, int codePoint) {
        int position = at;
        for (char unit : Character.toChars(codePoint)) {
            if (!text.startsWith("\\u", position) || hex(text, position + 2, 4) != unit) {
                return 0;
            }
            position += 6;
        }
        return position;
    }

    private static int jsonShort(String text, int at, int codePoint) {
        String escape = switch (codePoint) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '/' -> "\\/";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> null;
        };
        return escape != null && text.startsWith(escape, at) ? at + escape.length() : 0;
    }

    /** {@code &#233;}, {@code &#xe9;} (leading zeros allowed) or one of XML's five named references. */
    private static int htmlReference(String text, int at, int codePoint) {
        if (!text.startsWith("&", at)) {
            return 0;
        }
        String named = switch (codePoint) {
            case '"' -> "&quot;";
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '\'' -> "&apos;";
            default -> null;
        };
        if (named != null && text.startsWith(named, at)) {
            return at + named.length();
        }
        if (!text.startsWith("&#", at)) {
            return 0;
        }
        boolean hex = at + 2 < text.length() && (text.charAt(at + 2) == 'x' || text.charAt(at + 2) == 'X');
        int digitsStart = at + (hex ? 3 : 2);
        int end = digitsStart;
        long value = 0;
        while (end < text.length() && end - digitsStart < 12 && Character.digit(text.charAt(end), hex ? 16 : 10) >= 0) {
            value = value * (hex ? 16 : 10) + Character.digit(text.charAt(end), hex ? 16 : 10);
            end++;
        }
        return end > digitsStart && end < text.length() && text.charAt(end) == ';' && value == codePoint ? end + 1 : 0;
    }

    /** The value of {@code length} hex digits at {@code at}, or -1. */
    private static int hex(String text, int at, int length) {
        if (at + length > text.length()) {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + length; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
