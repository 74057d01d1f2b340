package dk.sdu.cloud.im.harness.store;

/** The job store's database failed, or holds something this version cannot read. */
public class JobStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause   the database's error, or null
     */
    public JobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
