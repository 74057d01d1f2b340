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
        /** A VirtualMachineInstance was deleted. */
        VMI_DELETED,
        /** An object whose owning VirtualMachine is gone was deleted. */
        GARBAGE_COLLECTED,
        /** A claim was bound to its PersistentVolume. */
        VOLUME_BOUND,
        /** A PersistentVolume with reclaim policy Retain lost its claim: phase {@code Released}. */
        VOLUME_RELEASED,
        /** A PersistentVolume with reclaim policy Delete lost its claim and was deleted. */
        VOLUME_DELETED
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
