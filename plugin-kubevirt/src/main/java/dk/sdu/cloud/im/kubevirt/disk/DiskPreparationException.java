package dk.sdu.cloud.im.kubevirt.disk;

/**
 * A disk preparation failed. The message is the reason, fit for the job's status: checksums, command and
 * qemu-img's own words as they apply; of a refused or failed download only a short reason, never what the
 * server answered (the IM's log has that).
 */
public final class DiskPreparationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DiskPreparationException(String message) {
        super(message);
    }

    public DiskPreparationException(String message, Throwable cause) {
        super(message, cause);
    }
}
