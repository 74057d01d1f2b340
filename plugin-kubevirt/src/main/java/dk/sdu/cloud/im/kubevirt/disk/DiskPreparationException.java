package dk.sdu.cloud.im.kubevirt.disk;

/**
 * A disk preparation failed. The message is the reason, written for an operator and fit for the job's
 * status: it names the URL, HTTP status, checksums, command and qemu-img's own words as they apply.
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
