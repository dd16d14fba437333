package dev.crcexporter.web.toolkit;

import dev.crcexporter.config.ConfigException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;

/**
 * The web configuration in force, changed by reloads: the users and headers as one {@link WebAccess} swapped
 * atomically, and the TLS context (its settings rebuilt for new connections). Plain HTTP and TLS are chosen when the
 * server starts: a reload that would switch from one to the other is refused, as is any other that cannot be applied
 * whole.
 */
public final class LiveWebConfig {
    private final AtomicReference<State> state;
    private final Optional<RotatingSslContextFactory> tls;

    private record State(WebConfig config, WebAccess access) {}

    public LiveWebConfig(WebConfig initial) {
        this.state = new AtomicReference<>(new State(initial, access(initial, Optional.empty())));
        this.tls = initial.tls().map(settings -> new RotatingSslContextFactory(settings, System::nanoTime));
    }

    /** What a request is checked against; read once per request. */
    public WebAccess access() {
        return state.get().access();
    }

    /** The one listening connector on {@code listen}: plain HTTP, or TLS with this configuration's context. */
    public Connector connector(Server server, HttpConfiguration http, ListenAddress listen) {
        return Connectors.create(server, http, listen, tls);
    }

    /** Throws when {@code next} cannot be applied to the running server (it would switch between HTTP and HTTPS). */
    public void check(WebConfig next) throws ConfigException {
        if (next.tls().isPresent() != tls.isPresent()) {
            throw new ConfigException("tls_server_config " + (tls.isPresent() ? "was removed" : "was added")
                    + ": switching between HTTP and HTTPS needs a restart");
        }
    }

    /**
     * Applies {@code next} to the requests and connections that come after: the TLS settings first (new connections),
     * then users and headers in one swap. Nothing changes when it throws.
     */
    public synchronized void apply(WebConfig next) throws ConfigException {
        check(next);
        if (tls.isPresent()) {
            tls.get().apply(next.tls().orElseThrow());
        }
        State current = state.get();
        state.set(new State(next, access(next, current.access().basicAuth().filter(
                auth -> next.basicAuthUsers().equals(current.config().basicAuthUsers())))));
    }

    /**
     * The users of {@code config}; {@code same} is the running check when the users did not change, kept so that its
     * remembered outcomes survive (a changed or removed user never finds a success remembered for its old hash).
     */
    private static WebAccess access(WebConfig config, Optional<BasicAuth> same) {
        Optional<BasicAuth> basicAuth = config.basicAuthUsers().isEmpty() ? Optional.empty()
                : same.isPresent() ? same : Optional.of(new BasicAuth(config.basicAuthUsers()));
        return new WebAccess(basicAuth, config.headers());
    }
}
