package dev.crcexporter.config;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A secret: an API secret, a client secret, a token. Its {@link #toString()} never shows the value, so a
 * secret that slips into a log call, an exception message or a record's toString stays hidden, and
 * {@link #redact} masks it in text that an upstream may have echoed, in whatever encoding.
 */
public final class Secret {
    private static final String MASK = "<secret>";
    private final String value;
    private final EncodedForms forms;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
        this.forms = new EncodedForms(value);
    }

    /** The clear text, for the one place that sends it upstream. */
    public String reveal() {
        return value;
    }

    /**
     * Masks every occurrence of this secret in {@code text}, in any of the forms an upstream may echo it:
     * raw; form- or percent-encoded ({@code +} or {@code %20} for a space, hex digits in either case, even
     * encoded twice, as a GET request's query string quoted in a redirect); JSON-escaped ({@code \"},
     * {@code \/}, Unicode escapes); as HTML character references; as UTF-8 misread as ISO-8859-1 (a header or
     * status line echoed back); and any mixture of them.
     */
    public String redact(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        StringBuilder out = null;
        int copiedUpTo = 0;
        for (int i = 0; i < text.length(); i++) {
            if (!mayStartAForm(text.charAt(i))) {
                continue;
            }
            int end = forms.matchEnd(text, i);
            if (end > 0) {
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, copiedUpTo, i).append(MASK);
                copiedUpTo = end;
                i = end - 1;
            }
        }
        return out == null ? text : out.append(text, copiedUpTo, text.length()).toString();
    }

    /** Every form of the first character starts with it, or with one of the encodings' lead characters. */
    private boolean mayStartAForm(char c) {
        return c == value.charAt(0) || c >= 0x80 || c == '%' || c == '+' || c == '\\' || c == '&';
    }

    /** One function that masks all of {@code secrets}, for messages built from a request that carries several. */
    public static UnaryOperator<String> redactor(List<Secret> secrets) {
        List<Secret> all = List.copyOf(secrets);
        return text -> {
            String result = text;
            for (Secret secret : all) {
                result = secret.redact(result);
            }
            return result;
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
