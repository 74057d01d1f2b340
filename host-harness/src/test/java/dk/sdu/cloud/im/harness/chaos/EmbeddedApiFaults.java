package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;

import static java.util.Objects.requireNonNull;

/**
 * Faults through the embedded API's fault plan.
 *
 * <p><b>Wiring hook.</b> The embedded Kubernetes API has no fault injection in this build yet. When it has
 * ({@code EmbeddedKubernetes.faults(RequestFaults)} with {@code RequestFaults(double rate, long seed,
 * Set<FaultKind> kinds)}, or whatever it ends up being called), this class is the only place to change:
 * {@link #available()} returns true, {@link #start} becomes
 * {@code api.faults(new RequestFaults(plan.rate(), plan.seed(), kinds(plan.kinds())))} mapping
 * {@link FaultPlan.Kind} onto its kinds, and {@link #stop} switches the plan off. Until then, asking for faults
 * ends the run with {@link #unavailableReason()} before anything starts: a run that silently injected nothing
 * would pass for one that survived faults.
 */
final class EmbeddedApiFaults implements ApiFaults {
    @Override
    public boolean available() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return "--fault-rate needs fault injection in the embedded Kubernetes API (EmbeddedKubernetes.faults), "
                + "which this build does not have; wire it in " + EmbeddedApiFaults.class.getName();
    }

    @Override
    public void start(EmbeddedKubernetes api, FaultPlan plan) {
        requireNonNull(api, "api is null");
        requireNonNull(plan, "plan is null");
        throw new UnsupportedOperationException(unavailableReason());
    }

    @Override
    public void stop(EmbeddedKubernetes api) {
        // Nothing was started.
    }
}
