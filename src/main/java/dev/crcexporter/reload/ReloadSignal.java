package dev.crcexporter.reload;

import dev.crcexporter.web.ReloadTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads the configuration, as it does for Prometheus and blackbox_exporter (without this, the JVM ends
 * on SIGHUP with status 129). The signal only asks: the reload runs on the {@link ReloadCoalescer}'s thread, so
 * signals that arrive while one waits to start are one reload, and one that arrives during a reload brings another
 * after it, which reads the files as they are then.
 */
public final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);
    private static final String HANGUP = "HUP";

    private ReloadSignal() {}

    /** Handles SIGHUP from now on; where the platform has no SIGHUP (Windows), logs that and does nothing. */
    public static void install(ReloadTrigger trigger) {
        try {
            SignalHandler previous = Signal.handle(new Signal(HANGUP), signal -> trigger.reload("SIGHUP"));
            if (previous == SignalHandler.SIG_IGN) {
                // Inherited "ignore" (nohup, or a parent that ignores SIGHUP): the JVM keeps it ignored and never
                // calls the handler. systemd, Docker and Kubernetes start processes with the default disposition.
                LOG.atWarn().setMessage("SIGHUP is ignored by the process that started crc-exporter (nohup?), so it"
                        + " cannot reload on SIGHUP: reload with POST /-/reload, or start it without nohup").log();
            }
        } catch (IllegalArgumentException e) {
            LOG.atInfo().setMessage("no SIGHUP on this platform: reload with POST /-/reload").log();
        }
    }
}
