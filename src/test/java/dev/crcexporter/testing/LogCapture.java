package dev.crcexporter.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.crcexporter.log.JsonLayout;
import dev.crcexporter.log.LogfmtLayout;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event at DEBUG and renders it in both output formats, for assertions. */
public final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;
    private final Level previousLevel;
    private final LogfmtLayout logfmt = new LogfmtLayout();
    private final JsonLayout json = new JsonLayout();

    public LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        appender.setContext(context);
        appender.start();
        logfmt.setContext(context);
        logfmt.start();
        json.setContext(context);
        json.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
    }

    /** Every captured event as logfmt and as JSON lines. */
    public List<String> lines() {
        return events().stream().flatMap(e -> java.util.stream.Stream.of(logfmt.doLayout(e), json.doLayout(e)))
                .toList();
    }

    public List<String> logfmtLines() {
        return events().stream().map(logfmt::doLayout).toList();
    }

    private List<ILoggingEvent> events() {
        // The appender appends under its own lock (AppenderBase.doAppend); copy under it too.
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previousLevel);
    }
}
