package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.simulator.FaultKind;
import dk.sdu.cloud.im.simulator.RequestFaults;
import io.fabric8.kubernetes.client.Config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The faults of {@code --fault-rate}: the embedded API's request faults, for the requests of the IM (the
 * simulator and the chaos program read and write through {@link EmbeddedKubernetes#newSimulationClient()}
 * clients, which are never faulted).
 */
final class EmbeddedApiFaults {
    /** Every way a request of the IM fails: 500, 503, a timeout, and 409 on writes. Watches are not closed. */
    static final Set<FaultKind> KINDS = EnumSet.of(FaultKind.INTERNAL_ERROR, FaultKind.SERVICE_UNAVAILABLE,
            FaultKind.TIMEOUT, FaultKind.CONFLICT);

    /**
     * How long a {@link FaultKind#TIMEOUT} holds its answer: kube-apiserver's request timeout (60 s), so that
     * the IM's client gives up first as it does against a real API server that hangs. The IM does not set a
     * request timeout of its own, so its fabric8 client waits {@link Config#DEFAULT_REQUEST_TIMEOUT} (10 s);
     * {@code EmbeddedApiFaultsTest} keeps the hold above it. A write that times out is still carried out.
     */
    static final Duration TIMEOUT_HOLD = Duration.ofSeconds(60);

    private final EmbeddedKubernetes api;

    EmbeddedApiFaults(EmbeddedKubernetes api) {
        this.api = requireNonNull(api, "api is null");
    }

    /** The plan of a run: a share {@code rate} of the IM's requests fail, drawn from {@code seed}. */
    static RequestFaults plan(double rate, long seed) {
        return new RequestFaults(rate, seed, KINDS, TIMEOUT_HOLD);
    }

    /** From now on, the IM's requests fail as the plan says. */
    void start(double rate, long seed) {
        api.faults(plan(rate, seed));
    }

    /** Switches the faults off and returns how many of each kind were injected since {@link #start}. */
    Map<FaultKind, Long> stop() {
        Map<FaultKind, Long> injected = Map.copyOf(api.injectedFaults());
        api.faults(RequestFaults.none());
        return injected;
    }
}
