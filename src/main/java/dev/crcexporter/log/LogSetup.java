package dev.crcexporter.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

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
        context.addTurboFilter(new JavalinStartFailure());
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

    /**
     * Javalin's own line when its server cannot start ({@code Failed to start Javalin}, no reason given): the
     * command prints one line of its own that says why ({@code cannot listen on :9877: address already in use}).
     */
    static final class JavalinStartFailure extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                Throwable t) {
            boolean javalinsStartFailure = level == Level.ERROR && logger.getName().equals("io.javalin.Javalin")
                    && "Failed to start Javalin".equals(format);
            return javalinsStartFailure ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
