package dk.sdu.cloud.im.kubevirt.reconcile;

/**
 * An existing object differs from the desired one in a field Kubernetes does not let change (for example
 * the source of a PersistentVolume). Retrying does not help: someone has to delete the object, or the
 * configuration that produced the new value must go back.
 */
public final class ImmutableFieldException extends ReconcileException {

    private static final long serialVersionUID = 1L;

    public ImmutableFieldException(String message) {
        super(message);
    }
}
