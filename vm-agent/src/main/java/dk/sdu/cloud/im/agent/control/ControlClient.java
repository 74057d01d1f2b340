package dk.sdu.cloud.im.agent.control;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.time.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a control connection to the IM: dials, and whenever a session ends (or dialling fails) dials again
 * after the back-off.
 */
public final class ControlClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ControlClient.class);

    private final URI endpoint;
    private final HttpClient httpClient;
    private final Scheduler scheduler;
    private final SessionFactory sessions;
    private final Backoff backoff;
    private boolean stopped;

    public ControlClient(URI endpoint, HttpClient httpClient, Scheduler scheduler, SessionFactory sessions, Backoff backoff) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.httpClient = requireNonNull(httpClient, "httpClient is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    /** Makes the session for one connection. */
    public interface SessionFactory {
        ControlSession create(ControlSession.Events events);
    }

    public void start() {
        connect();
    }

    public synchronized void stop() {
        stopped = true;
    }

    private void connect() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        var session = sessions.create(new ControlSession.Events() {
            @Override
            public void welcomed() {
                backoff.reset();
            }

            @Override
            public void ended() {
                reconnectLater();
            }
        });
        httpClient.newWebSocketBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .buildAsync(endpoint, session)
                .whenComplete((webSocket, error) -> {
                    if (error != null) {
                        LOG.warn("cannot connect to the IM at {}: {}", endpoint, rootMessage(error));
                        reconnectLater();
                    }
                });
    }

    private void reconnectLater() {
        var delay = backoff.next();
        LOG.info("reconnecting in {} s", delay.toSeconds());
        scheduler.schedule(delay, this::connect);
    }

    private static String rootMessage(Throwable error) {
        var cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.toString();
    }
}
