package dk.sdu.cloud.im.kubevirt.state;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * What the state mapping needs from the {@code virt-launcher} pod of an instance: why it stopped, when the
 * kubelet says so.
 *
 * @param phase              {@code status.phase}, or null
 * @param reason             {@code status.reason}, e.g. {@code Evicted}, or null
 * @param message            {@code status.message}, e.g. what the node was short of, or null
 * @param terminatedReason   why its {@code compute} container ended ({@code state.terminated.reason}, else
 *                           {@code lastState.terminated.reason}), e.g. {@code OOMKilled}, or null
 * @param exitCode           that container's exit code, or null
 */
public record LauncherPodFacts(String phase, String reason, String message, String terminatedReason,
                               Integer exitCode) {

    /** KubeVirt's name of the container that runs the VM in its launcher pod. */
    static final String COMPUTE = "compute";

    /** The facts of a launcher pod. */
    public static LauncherPodFacts of(Pod pod) {
        String terminatedReason = null;
        Integer exitCode = null;
        if (pod.getStatus() == null) {
            return new LauncherPodFacts(null, null, null, null, null);
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                if (!COMPUTE.equals(container.getName())) {
                    continue;
                }
                ContainerStateTerminated terminated = container.getState() == null ? null
                        : container.getState().getTerminated();
                if (terminated == null && container.getLastState() != null) {
                    terminated = container.getLastState().getTerminated();
                }
                if (terminated != null) {
                    terminatedReason = terminated.getReason();
                    exitCode = terminated.getExitCode();
                }
            }
        }
        return new LauncherPodFacts(pod.getStatus().getPhase(), pod.getStatus().getReason(),
                pod.getStatus().getMessage(), terminatedReason, exitCode);
    }
}
