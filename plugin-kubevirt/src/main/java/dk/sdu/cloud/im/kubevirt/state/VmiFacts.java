package dk.sdu.cloud.im.kubevirt.state;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/**
 * What the state mapping needs from a {@code VirtualMachineInstance}.
 *
 * @param phase               {@code status.phase}, or null
 * @param ready               whether its {@code Ready} condition is {@code True}
 * @param nodeName            {@code status.nodeName}, or null
 * @param uid                 its uid (each start of a VM makes a new instance), or null
 * @param reason              {@code status.reason}, e.g. {@code NodeUnresponsive} when its node was lost, or null
 * @param unschedulableReason the message of a {@code PodScheduled} condition that is {@code False} (why its
 *                            launcher pod finds no node, or why its disk's claim is missing), or null
 */
public record VmiFacts(String phase, boolean ready, String nodeName, String uid, String reason,
                       String unschedulableReason) {

    /** Facts of an instance without uid, reason or scheduling trouble. */
    public VmiFacts(String phase, boolean ready, String nodeName) {
        this(phase, ready, nodeName, null, null, null);
    }

    /** Whether the instance has ended: the guest shut down ({@code Succeeded}) or it failed ({@code Failed}). */
    public boolean ended() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** The facts of a VirtualMachineInstance object. */
    public static VmiFacts of(GenericKubernetesResource vmi) {
        boolean ready = false;
        String unschedulable = null;
        Object conditions = vmi.get("status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object condition : list) {
                if (condition instanceof Map<?, ?> map && "Ready".equals(map.get("type"))) {
                    ready = "True".equals(String.valueOf(map.get("status")));
                }
                if (condition instanceof Map<?, ?> map && "PodScheduled".equals(map.get("type"))
                        && "False".equals(String.valueOf(map.get("status")))) {
                    unschedulable = VmFacts.string(map.get("message")) != null ? VmFacts.string(map.get("message"))
                            : VmFacts.string(map.get("reason"));
                }
            }
        }
        return new VmiFacts(VmFacts.string(vmi.get("status", "phase")), ready,
                VmFacts.string(vmi.get("status", "nodeName")), vmi.getMetadata().getUid(),
                VmFacts.string(vmi.get("status", "reason")), unschedulable);
    }
}
