package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.admission.SshAccess;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;

import java.util.List;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * What the desired objects need besides the plan: things the reconciler holds or allocates.
 *
 * @param power          whether the VM should run
 * @param tokens         the job's agent tokens (kept in the secret store so that they survive restarts)
 * @param authorizedKeys the owner's SSH public keys, installed at first boot
 * @param sshPort        the port allocated for the job's SSH Service; empty gives no SSH Service (and no
 *                       SSH rule in the NetworkPolicy) even when SSH applies, e.g. while suspended
 */
public record VmJobRuntimeInputs(PowerState power, AgentTokens tokens, List<String> authorizedKeys,
                                 OptionalInt sshPort) {
    public VmJobRuntimeInputs {
        requireNonNull(power, "power is null");
        requireNonNull(tokens, "tokens is null");
        requireNonNull(sshPort, "sshPort is null");
        authorizedKeys = List.copyOf(authorizedKeys);
    }

    /** A running VM. */
    public static VmJobRuntimeInputs running(AgentTokens tokens, List<String> authorizedKeys, OptionalInt sshPort) {
        return new VmJobRuntimeInputs(PowerState.RUNNING, tokens, authorizedKeys, sshPort);
    }

    /**
     * Inputs for showing a job's objects to people without touching anything ({@code ucloud-im render}):
     * placeholder tokens, and the lowest configured port standing in for the SSH port a start would
     * allocate.
     */
    public static VmJobRuntimeInputs preview(VmJobPlan plan, List<String> authorizedKeys) {
        OptionalInt port = plan.ssh().map(SshAccess::portMin).map(OptionalInt::of).orElse(OptionalInt.empty());
        return running(AgentTokens.placeholders(), authorizedKeys, port);
    }
}
