package dk.sdu.cloud.im.harness.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A run's settings (the command's options).
 *
 * @param jobs            how many VM jobs
 * @param kills           how many times the IM is killed with SIGKILL during the traffic
 * @param seed            the seed of the scripts, kill moments, think times and faults
 * @param faultRate       the share of Kubernetes API requests that fail; 0 for none
 * @param concurrency     how many bulk requests may be in flight at once
 * @param batchSize       the most jobs in one bulk request
 * @param maxThinkMillis  the longest pause of a job between two of its operations
 * @param trafficTimeout  the longest the traffic phase may take
 * @param settleTimeout   how long the jobs get after the final restart to reach their end states
 * @param startTimeout    how long an IM may take to start serving
 * @param requestTimeout  how long a request may take
 * @param installation    the IM's installation ({@code bin/ucloud-im} inside)
 * @param workDirectory   where the run keeps its files, or null for a new temporary folder
 * @param keep            keep the work directory even when the run found nothing
 * @param imSettings      extra configuration keys of the IM (dotted path to YAML value)
 * @param imJavaOptions   {@code JAVA_OPTS} of the IM
 */
record ChaosOptions(int jobs, int kills, long seed, double faultRate, int concurrency, int batchSize,
                    int maxThinkMillis, Duration trafficTimeout, Duration settleTimeout, Duration startTimeout,
                    Duration requestTimeout, Path installation, Path workDirectory, boolean keep,
                    Map<String, String> imSettings, String imJavaOptions) {
    ChaosOptions {
        imSettings = Map.copyOf(imSettings);
    }

    Path launcher() {
        return installation.resolve("bin").resolve("ucloud-im");
    }
}
