package dk.sdu.cloud.im.kubevirt.reconcile;

import static java.util.Objects.requireNonNull;

/**
 * A job's objects were to be made from scratch, but its VirtualMachine exists: it was made after the caller
 * decided there was none (by another IM, e.g. UCloud's own, whose VMs the object cache does not follow until
 * they are adopted). Nothing was written. The caller reads the VM from the API server and decides again.
 */
public final class VmAppearedException extends ReconcileException {

    private static final long serialVersionUID = 1L;

    private final String jobId;

    public VmAppearedException(String jobId, String vmName) {
        super("The virtual machine " + requireNonNull(vmName, "vmName is null") + " of job "
                + requireNonNull(jobId, "jobId is null") + " exists although none was known; it is read again");
        this.jobId = jobId;
    }

    /** The job whose VM exists. */
    public String jobId() {
        return jobId;
    }
}
