package dk.sdu.cloud.im.kubevirt.manifest;

/** Whether a VM should run; it decides the VM's {@code runStrategy}. */
public enum PowerState {
    /**
     * {@code runStrategy: RerunOnFailure}: KubeVirt restarts a VMI that failed (a crash, a kill, a lost node)
     * but leaves one that the guest shut down itself stopped, so that a power-off inside the guest is "off".
     * KubeVirt's own stop and start keep this strategy.
     */
    RUNNING("RerunOnFailure"),
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
