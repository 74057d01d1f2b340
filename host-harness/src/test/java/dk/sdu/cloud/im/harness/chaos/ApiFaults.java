package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;

/**
 * Makes a share of the cluster API's requests fail while the IM works ({@code --fault-rate}). The run checks
 * {@link #available()} before it starts anything, and stops with an error when faults are asked for and this
 * build cannot make them.
 */
interface ApiFaults {
    /** Whether this build can inject faults; when not, {@link #unavailableReason()} says why. */
    boolean available();

    /** Why faults cannot be injected (only when not {@link #available()}). */
    String unavailableReason();

    /** From now on, requests to {@code api} fail as the plan says. */
    void start(EmbeddedKubernetes api, FaultPlan plan);

    /** From now on, no request to {@code api} fails by design. */
    void stop(EmbeddedKubernetes api);
}
