package dev.crcexporter.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Configures logging from {@code --log.level} and {@code --log.format}: one line per event on stderr. */
public final class LogSetup {
    public enum LogLevel { debug, info, warn, error }

    public enum LogFormat { logfmt, json }

    private LogSetup() {}

    public static void configure(LogLevel level, LogFormat format) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        LayoutBase<ILoggingEvent> layout = format == LogFormat.json ? new JsonLayout() : new LogfmtLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        Level rootLevel = Level.toLevel(level.name().toUpperCase(Locale.ROOT));
        root.setLevel(rootLevel);
        // Jetty's info lines (versions, connectors) are noise next to ours; its warnings still show.
        if (rootLevel.isGreaterOrEqual(Level.INFO)) {
            context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
            context.getLogger("io.javalin").setLevel(Level.WARN);
        }
    }
}
