package dev.crcexporter.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known key a mistyped one was most likely meant to be: {@code api_secert} is {@code api_secret}. Only a close
 * key is suggested (at most two edits, and at most one per three letters of the key), so that an unrelated key is
 * never offered.
 */
final class KeySuggestion {
    private static final int MAX_EDITS = 2;

    private KeySuggestion() {}

    /** The closest of {@code known} to {@code typed}, if one is close; the first in iteration order on a tie. */
    static Optional<String> closest(String typed, Collection<String> known) {
        String best = null;
        int bestEdits = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (Math.abs(typed.length() - candidate.length()) > MAX_EDITS) {
                continue; // too far apart in length alone; and a key of any length costs nothing to dismiss
            }
            int edits = edits(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (edits < bestEdits && edits <= MAX_EDITS && edits * 3 <= candidate.length()) {
                best = candidate;
                bestEdits = edits;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}: the optimal string
     * alignment distance, in which a swapped pair ({@code secert}) is one typo, as people make it.
     */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int replace = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + replace);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
