package dev.crcexporter.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.util.Map;

/**
 * {@code ts=... level=warn logger=Poller msg="poll failed" account=hq reason=timeout}, as Prometheus' own tools
 * log.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        for (Map.Entry<String, String> field : KeyValueText.fields(event)) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(field.getKey()).append('=');
            appendValue(line, field.getValue());
        }
        return line.append('\n').toString();
    }

    static void appendValue(StringBuilder out, String value) {
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c <= ' ' || c == '"' || c == '=' || c == '\\';
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < ' ' ? ' ' : c);
            }
        }
        out.append('"');
    }
}
