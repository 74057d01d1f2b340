package dk.sdu.cloud.im.kubevirt.reconcile;

/**
 * A reconcile step failed. The steps before it are done and stay done; the next reconcile carries on from
 * what exists.
 */
public class ReconcileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReconcileException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReconcileException(String message) {
        super(message);
    }
}
