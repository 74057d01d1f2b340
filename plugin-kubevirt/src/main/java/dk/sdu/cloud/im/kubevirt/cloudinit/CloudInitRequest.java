package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.VmMount;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a VM's cloud-init documents are made from. Every string may be hostile: the renderer serializes
 * them, so none of them can change the documents' structure.
 *
 * @param jobId          the job's id, written to the agent's configuration
 * @param hostname       the guest's host name
 * @param agentEndpoint  the websocket URL at which the agent reaches the IM
 * @param tokens         the agent's tokens
 * @param authorizedKeys the SSH public keys of the job's owner, installed for the user {@code ucloud} at
 *                       first boot (later changes reach the guest through the agent)
 * @param ucloudMounts   the UCloud mounts ({@code /opt/ucloud}, {@code /etc/ucloud}, {@code /work}), each
 *                       mounted by a systemd mount unit
 */
public record CloudInitRequest(
        String jobId,
        String hostname,
        String agentEndpoint,
        AgentTokens tokens,
        List<String> authorizedKeys,
        List<VmMount> ucloudMounts
) {
    public CloudInitRequest {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(agentEndpoint, "agentEndpoint is null");
        requireNonNull(tokens, "tokens is null");
        authorizedKeys = List.copyOf(authorizedKeys);
        ucloudMounts = List.copyOf(ucloudMounts);
    }
}
