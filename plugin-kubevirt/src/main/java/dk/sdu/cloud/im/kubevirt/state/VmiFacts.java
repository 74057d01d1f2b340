package dk.sdu.cloud.im.kubevirt.state;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/**
 * What the state mapping needs from a {@code VirtualMachineInstance}.
 *
 * @param phase    {@code status.phase}, or null
 * @param ready    whether its {@code Ready} condition is {@code True}
 * @param nodeName {@code status.nodeName}, or null
 */
public record VmiFacts(String phase, boolean ready, String nodeName) {

    /** The facts of a VirtualMachineInstance object. */
    public static VmiFacts of(GenericKubernetesResource vmi) {
        boolean ready = false;
        Object conditions = vmi.get("status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object condition : list) {
                if (condition instanceof Map<?, ?> map && "Ready".equals(map.get("type"))) {
                    ready = "True".equals(String.valueOf(map.get("status")));
                }
            }
        }
        return new VmiFacts(VmFacts.string(vmi.get("status", "phase")), ready,
                VmFacts.string(vmi.get("status", "nodeName")));
    }
}
