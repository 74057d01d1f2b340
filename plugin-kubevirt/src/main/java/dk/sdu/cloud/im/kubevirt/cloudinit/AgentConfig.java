package dk.sdu.cloud.im.kubevirt.cloudinit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import static java.util.Objects.requireNonNull;

/**
 * The agent's configuration file ({@code /etc/ucloud-agent/agent.json}, mode 0600, owner {@code ucloud}),
 * written by cloud-init. This is the contract with the guest agent ({@code vm-agent}).
 *
 * @param endpoint    the websocket URL at which the agent reaches the IM
 * @param jobId       the job's id
 * @param agentToken  the token the agent presents to the IM
 * @param serverToken the token the IM must answer with
 * @param mountsFile  where the list of user folders to mount is ({@code /etc/ucloud/mounts.yml})
 */
@JsonPropertyOrder({"endpoint", "jobId", "agentToken", "serverToken", "mountsFile"})
public record AgentConfig(String endpoint, String jobId, String agentToken, String serverToken, String mountsFile) {
    public AgentConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(agentToken, "agentToken is null");
        requireNonNull(serverToken, "serverToken is null");
        requireNonNull(mountsFile, "mountsFile is null");
    }

    /** Keeps the tokens out of logs. */
    @Override
    public String toString() {
        return "AgentConfig[endpoint=" + endpoint + ", jobId=" + jobId + ", tokens redacted, mountsFile="
                + mountsFile + "]";
    }
}
