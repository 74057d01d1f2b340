package dk.sdu.cloud.im.agent.tty;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.control.TtyOpener;
import dk.sdu.cloud.im.agent.socket.Frames;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers {@code openTty}: dials the TTY endpoint with the request's token. */
public final class TtyDialer implements TtyOpener {
    private static final Logger LOG = LoggerFactory.getLogger(TtyDialer.class);

    private final URI ttyEndpoint;
    private final String jobId;
    private final HttpClient httpClient;
    private final Frames frames;
    private final ShellLauncher launcher;
    private final ThreadFactory outputThreads;

    public TtyDialer(URI ttyEndpoint, String jobId, HttpClient httpClient, Frames frames, ShellLauncher launcher,
                     ThreadFactory outputThreads) {
        this.ttyEndpoint = requireNonNull(ttyEndpoint, "ttyEndpoint is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.httpClient = requireNonNull(httpClient, "httpClient is null");
        this.frames = requireNonNull(frames, "frames is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.outputThreads = requireNonNull(outputThreads, "outputThreads is null");
    }

    @Override
    public void open(String ttyToken) {
        var session = new TtySession(jobId, ttyToken, frames, launcher, outputThreads);
        httpClient.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(ttyEndpoint, session)
                .whenComplete((webSocket, error) -> {
                    if (error != null) {
                        LOG.warn("cannot open a TTY connection to {}: {}", ttyEndpoint, error.toString());
                    }
                });
    }
}
