package dk.sdu.cloud.im.simulator;

import static java.util.Objects.requireNonNull;

/**
 * Something the {@link KubeVirtSimulator} did, as it happened.
 *
 * @param type   what it did
 * @param kind   the kind of the object it acted on, e.g. {@code VirtualMachineInstance}
 * @param name   that object's name
 * @param detail more for a person to read (may be empty)
 */
public record SimulatorEvent(Type type, String kind, String name, String detail) {

    /** What the simulator did. */
    public enum Type {
        /** A VM is being started: status {@code Starting}. */
        VM_STARTING,
        /** A VM runs: its VMI exists and it is ready. */
        VM_RUNNING,
        /** A start did not happen: the VM shows an error status (detail: the printable status). */
        VM_START_FAILED,
        /** A VM was stopped: VMI deleted, status {@code Stopped}. */
        VM_STOPPED,
        /** A VM waits for a volume (detail: {@code ErrorPvcNotFound} or {@code WaitingForVolumeBinding}). */
        VM_WAITING_FOR_VOLUME,
        /** A VirtualMachineInstance was created. */
        VMI_CREATED,
        /** A running VirtualMachineInstance ended (detail: the {@link InstanceEnd}). */
        VMI_ENDED,
        /** A VirtualMachineInstance was deleted. */
        VMI_DELETED,
        /** An object whose owning VirtualMachine is gone was deleted. */
        GARBAGE_COLLECTED,
        /** A claim was bound to its PersistentVolume. */
        VOLUME_BOUND,
        /** A PersistentVolume with reclaim policy Retain lost its claim: phase {@code Released}. */
        VOLUME_RELEASED,
        /** A PersistentVolume with reclaim policy Delete lost its claim and was deleted. */
        VOLUME_DELETED,
        /** A running VMI's guest was booted: its root written (detail: the root folder). */
        GUEST_BOOTED,
        /** A running VMI's guest could not be booted (detail: why). */
        GUEST_BOOT_FAILED,
        /** A guest's agent process started. */
        GUEST_AGENT_STARTED,
        /** A guest has no agent launcher (yet): it runs without its agent (detail: where it was looked for). */
        GUEST_AGENT_MISSING,
        /** A guest's agent exited on its own; it is restarted unless it exited too often. */
        GUEST_AGENT_EXITED,
        /** A guest's agent exited too often and is not restarted again. */
        GUEST_AGENT_GAVE_UP,
        /** A guest's agent was stopped (its VMI stopped, or the simulator closed). */
        GUEST_AGENT_STOPPED,
        /** A guest was shut down: agent and consoles ended. */
        GUEST_SHUT_DOWN,
        /** The root of a guest whose VMI is gone was removed. */
        GUEST_REMOVED
    }

    public SimulatorEvent {
        requireNonNull(type, "type is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return type + " " + kind + "/" + name + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
