package dev.crcexporter.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/** The fields every log line carries, in order, whatever the output format. */
final class KeyValueText {
    private KeyValueText() {}

    static List<Map.Entry<String, String>> fields(ILoggingEvent event) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("ts", java.time.Instant.ofEpochMilli(event.getTimeStamp()).toString()));
        fields.add(Map.entry("level", event.getLevel().toString().toLowerCase(Locale.ROOT)));
        fields.add(Map.entry("logger", shortName(event.getLoggerName())));
        fields.add(Map.entry("msg", event.getFormattedMessage()));
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                fields.add(Map.entry(pair.key, String.valueOf(pair.value)));
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            // One line, no stack trace: the class and message are what an operator acts on.
            fields.add(Map.entry("exception",
                    error.getClassName() + (error.getMessage() == null ? "" : ": " + error.getMessage())));
        }
        return fields;
    }

    private static String shortName(String loggerName) {
        int dot = loggerName.lastIndexOf('.');
        return loggerName.startsWith("dev.crcexporter.") && dot >= 0 ? loggerName.substring(dot + 1) : loggerName;
    }
}
