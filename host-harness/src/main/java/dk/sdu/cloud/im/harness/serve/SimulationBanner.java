package dk.sdu.cloud.im.harness.serve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** The warning an IM in embedded mode logs at start, so that nobody takes the simulation for a cluster. */
final class SimulationBanner {
    private static final Logger LOG = LoggerFactory.getLogger(SimulationBanner.class);

    private SimulationBanner() {
    }

    static void log(String description, Optional<String> kubectlCommand) {
        String line = "*".repeat(78);
        LOG.warn(line);
        LOG.warn("* EMBEDDED MODE - A SIMULATION (harness.kubernetes.mode: embedded)");
        LOG.warn("* The Kubernetes API runs inside this process ({}),", description);
        LOG.warn("* and a KubeVirt simulator plays virt-controller: NO VIRTUAL MACHINE REALLY RUNS.");
        kubectlCommand.ifPresentOrElse(
                command -> {
                    LOG.warn("* The cluster's objects are kept in the data directory; kubectl sees them with");
                    LOG.warn("*   {}", command);
                },
                () -> LOG.warn("* The cluster's objects live in memory and are lost when the IM stops."));
        LOG.warn("* Use harness.kubernetes.mode kubeconfig or in-cluster for a real cluster.");
        LOG.warn(line);
    }
}
