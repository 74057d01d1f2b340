package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/**
 * What the state mapping needs from a {@code VirtualMachine}.
 *
 * @param runStrategy       {@code spec.runStrategy} (from the deprecated {@code spec.running} when absent)
 * @param printableStatus   {@code status.printableStatus}, or null before KubeVirt wrote any status
 * @param ready             {@code status.ready}
 * @param deleting          whether it has a {@code deletionTimestamp}
 * @param failureMessage    the message (or reason) of a {@code Failure} condition that is {@code True}, or null
 * @param failedStarts      {@code status.startFailure.consecutiveFailCount}, 0 when absent
 * @param retryAfter        {@code status.startFailure.retryAfterTimestamp}, or null
 * @param starting          whether the plugin keeps it halted only while the job's disk is prepared (its
 *                          annotation {@code ucloud.dk/lifecycle} is {@code starting}): halted, it is then a
 *                          job in the queue, not a suspended one
 */
public record VmFacts(String runStrategy, String printableStatus, boolean ready, boolean deleting,
                      String failureMessage, int failedStarts, String retryAfter, boolean starting) {

    /** Facts of a VM that is not being started by the plugin. */
    public VmFacts(String runStrategy, String printableStatus, boolean ready, boolean deleting,
                   String failureMessage, int failedStarts, String retryAfter) {
        this(runStrategy, printableStatus, ready, deleting, failureMessage, failedStarts, retryAfter, false);
    }

    /** The facts of a VirtualMachine object. */
    public static VmFacts of(GenericKubernetesResource vm) {
        String runStrategy = string(vm.get("spec", "runStrategy"));
        if (runStrategy == null) {
            runStrategy = Boolean.TRUE.equals(vm.get("spec", "running")) ? "Always" : "Halted";
        }
        String failure = null;
        Object conditions = vm.get("status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object condition : list) {
                if (condition instanceof Map<?, ?> map && "Failure".equals(map.get("type"))
                        && "True".equals(String.valueOf(map.get("status")))) {
                    failure = string(map.get("message")) != null ? string(map.get("message")) : string(map.get("reason"));
                }
            }
        }
        Object count = vm.get("status", "startFailure", "consecutiveFailCount");
        Map<String, String> annotations = vm.getMetadata().getAnnotations();
        boolean starting = annotations != null
                && VmJobLabels.LIFECYCLE_STARTING.equals(annotations.get(VmJobLabels.LIFECYCLE));
        return new VmFacts(runStrategy, string(vm.get("status", "printableStatus")),
                Boolean.TRUE.equals(vm.get("status", "ready")),
                vm.getMetadata().getDeletionTimestamp() != null,
                failure,
                count instanceof Number number ? number.intValue() : 0,
                string(vm.get("status", "startFailure", "retryAfterTimestamp")),
                starting);
    }

    static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
