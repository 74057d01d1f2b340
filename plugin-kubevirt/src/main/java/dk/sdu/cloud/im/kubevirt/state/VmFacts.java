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
 * @param failureMessage    the message (or reason) of a {@code Failure} condition that is {@code True}, else of
 *                          a {@code PodScheduled} condition that is {@code False} (copied from an unschedulable
 *                          instance), or null
 * @param failedStarts      {@code status.startFailure.consecutiveFailCount}, 0 when absent
 * @param retryAfter        {@code status.startFailure.retryAfterTimestamp}, or null
 * @param starting          whether the plugin keeps it halted only while the job's disk is prepared (its
 *                          annotation {@code ucloud.dk/lifecycle} is {@code starting}): halted, it is then a
 *                          job in the queue, not a suspended one
 * @param lastRunStrategy   {@code status.runStrategy}: the strategy KubeVirt last acted on, or null
 * @param startRequested    whether {@code status.stateChangeRequests} holds a {@code Start} (KubeVirt adds one
 *                          to restart a VM whose instance failed under {@code RerunOnFailure})
 * @param guestPoweredOff   whether the plugin halted it because its guest powered itself off (its annotation
 *                          {@code ucloud.dk/lifecycle} is {@code powered-off})
 */
public record VmFacts(String runStrategy, String printableStatus, boolean ready, boolean deleting,
                      String failureMessage, int failedStarts, String retryAfter, boolean starting,
                      String lastRunStrategy, boolean startRequested, boolean guestPoweredOff) {

    /** Facts of a VM that is not being started by the plugin. */
    public VmFacts(String runStrategy, String printableStatus, boolean ready, boolean deleting,
                   String failureMessage, int failedStarts, String retryAfter) {
        this(runStrategy, printableStatus, ready, deleting, failureMessage, failedStarts, retryAfter, false);
    }

    /** Facts without what only {@code RerunOnFailure} needs (KubeVirt acted on this strategy; no request). */
    public VmFacts(String runStrategy, String printableStatus, boolean ready, boolean deleting,
                   String failureMessage, int failedStarts, String retryAfter, boolean starting) {
        this(runStrategy, printableStatus, ready, deleting, failureMessage, failedStarts, retryAfter, starting,
                runStrategy, false, false);
    }

    /**
     * Whether KubeVirt owes this VM a start: a {@code Start} request, or a run strategy it has not acted on yet
     * (a switch from {@code Halted}, a VM just made). As KubeVirt's own test for {@code RerunOnFailure}.
     */
    public boolean startPending() {
        return startRequested || !java.util.Objects.equals(runStrategy, lastRunStrategy);
    }

    /** The facts of a VirtualMachine object. */
    public static VmFacts of(GenericKubernetesResource vm) {
        String runStrategy = string(vm.get("spec", "runStrategy"));
        if (runStrategy == null) {
            runStrategy = Boolean.TRUE.equals(vm.get("spec", "running")) ? "Always" : "Halted";
        }
        String failure = null;
        String unscheduled = null;
        Object conditions = vm.get("status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object condition : list) {
                if (condition instanceof Map<?, ?> map && "Failure".equals(map.get("type"))
                        && "True".equals(String.valueOf(map.get("status")))) {
                    failure = string(map.get("message")) != null ? string(map.get("message")) : string(map.get("reason"));
                }
                // KubeVirt copies its instance's conditions to the VM: an unschedulable instance's reason is
                // here too, so the VM's status alone says why (its instance may reach a watch later).
                if (condition instanceof Map<?, ?> map && "PodScheduled".equals(map.get("type"))
                        && "False".equals(String.valueOf(map.get("status")))) {
                    unscheduled = string(map.get("message")) != null ? string(map.get("message"))
                            : string(map.get("reason"));
                }
            }
        }
        if (failure == null) {
            failure = unscheduled;
        }
        Object count = vm.get("status", "startFailure", "consecutiveFailCount");
        Map<String, String> annotations = vm.getMetadata().getAnnotations();
        String lifecycle = annotations == null ? null : annotations.get(VmJobLabels.LIFECYCLE);
        boolean starting = VmJobLabels.LIFECYCLE_STARTING.equals(lifecycle);
        boolean startRequested = false;
        if (vm.get("status", "stateChangeRequests") instanceof List<?> requests) {
            for (Object request : requests) {
                startRequested |= request instanceof Map<?, ?> map && "Start".equals(map.get("action"));
            }
        }
        return new VmFacts(runStrategy, string(vm.get("status", "printableStatus")),
                Boolean.TRUE.equals(vm.get("status", "ready")),
                vm.getMetadata().getDeletionTimestamp() != null,
                failure,
                count instanceof Number number ? number.intValue() : 0,
                string(vm.get("status", "startFailure", "retryAfterTimestamp")),
                starting, string(vm.get("status", "runStrategy")), startRequested,
                VmJobLabels.LIFECYCLE_POWERED_OFF.equals(lifecycle));
    }

    static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
