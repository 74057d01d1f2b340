package dk.sdu.cloud.im.agent.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * The agent's configuration, {@code /etc/ucloud-agent/agent.json} (docs/agent-protocol.md).
 *
 * @param endpoint   the control connection's websocket URL; TTY connections go to it with {@code /tty} appended
 * @param mountsFile the mounts file, a guest path
 */
public record AgentConfig(URI endpoint, String jobId, Secret agentToken, Secret serverToken, String mountsFile) {
    public static final String DEFAULT_MOUNTS_FILE = "/etc/ucloud/mounts.yml";

    public AgentConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(agentToken, "agentToken is null");
        requireNonNull(serverToken, "serverToken is null");
        requireNonNull(mountsFile, "mountsFile is null");
    }

    /** The TTY endpoint: the control endpoint's path with {@code /tty} appended. */
    public URI ttyEndpoint() {
        var text = endpoint.toString();
        return URI.create(text.endsWith("/") ? text + "tty" : text + "/tty");
    }
}
