package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.shell.ShellSessions;
import dk.sdu.cloud.im.harness.vnc.VncSessions;
import io.javalin.config.JavalinConfig;

/**
 * Routes another part of the harness serves on the provider API's server (the web console). Requests under
 * {@link #uncheckedPrefix()} are not checked as Core's calls: those routes check their callers themselves; every
 * other route it adds is Core's, as the API's own.
 */
public interface ApiRoutes {

    /** The path prefix of the routes that check their callers themselves, e.g. {@code /console/}. */
    String uncheckedPrefix();

    /**
     * Adds the routes to the server being configured.
     *
     * @param shells the shell session identifiers the server's shell websocket accepts
     * @param vnc    the tokens the server's VNC websocket accepts
     */
    void addTo(JavalinConfig config, ShellSessions shells, VncSessions vnc);
}
