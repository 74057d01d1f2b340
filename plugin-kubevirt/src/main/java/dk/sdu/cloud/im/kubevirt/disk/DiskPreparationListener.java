package dk.sdu.cloud.im.kubevirt.disk;

/**
 * Receives the progress of disk preparations, e.g. to put {@link DiskPreparationEvent#message()} into the
 * job's status.
 *
 * <p>Events are throttled: a download reports when its whole percent changes (or every 32 MiB when its
 * length is unknown), a conversion when qemu-img's whole percent changes. They are delivered on the
 * preparation's worker thread, one at a time per listener and in order; a listener must return quickly
 * and must not block. An exception thrown by a listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface DiskPreparationListener {

    /** Called for each progress report, ending with one {@link DiskPreparationEvent#isFinal() final} event. */
    void onEvent(DiskPreparationEvent event);

    /** A listener that ignores everything. */
    static DiskPreparationListener none() {
        return event -> { };
    }
}
