package dk.sdu.cloud.im.simulator;

/**
 * How a running VirtualMachineInstance ends, as {@link KubeVirtSimulator#end} plays it; each the way KubeVirt
 * v1.9 and the kubelet report it, on the VMI and on its {@code virt-launcher} pod. What follows is the run
 * strategy's business: under {@code RerunOnFailure} a {@code Succeeded} VMI stays stopped and a {@code Failed}
 * one is started again; under {@code Always} both are.
 */
public enum InstanceEnd {
    /** The guest shut itself down: VMI {@code Succeeded}; pod {@code Succeeded}, container {@code compute} exited 0. */
    POWER_OFF,
    /** The VM crashed: VMI {@code Failed}; pod {@code Failed}, container {@code compute} {@code Error}, exit code 1. */
    CRASH,
    /** The kernel killed the launcher for memory: VMI {@code Failed}; container {@code compute} {@code OOMKilled}, 137. */
    OOM_KILL,
    /** The kubelet evicted the launcher: VMI {@code Failed}; pod {@code Failed} with reason {@code Evicted} and why. */
    EVICTION,
    /** The node stopped answering: VMI {@code Failed} with reason {@code NodeUnresponsive}; the pod is left as it was. */
    NODE_LOSS
}
