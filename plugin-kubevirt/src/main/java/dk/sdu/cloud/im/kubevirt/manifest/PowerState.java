package dk.sdu.cloud.im.kubevirt.manifest;

/** Whether a VM should run; it decides the VM's {@code runStrategy}. */
public enum PowerState {
    /** {@code runStrategy: Always}: KubeVirt keeps a VMI running. */
    RUNNING("Always"),
    /** {@code runStrategy: Halted}: no VMI (a suspended job). */
    HALTED("Halted");

    private final String runStrategy;

    PowerState(String runStrategy) {
        this.runStrategy = runStrategy;
    }

    /** The VM's {@code spec.runStrategy}. */
    public String runStrategy() {
        return runStrategy;
    }
}
