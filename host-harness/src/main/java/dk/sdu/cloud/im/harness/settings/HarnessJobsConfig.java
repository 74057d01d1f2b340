package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.List;

/**
 * {@code harness.jobs}: how {@code ucloud-im serve} carries out the job requests it accepted, behind its answers.
 *
 * @param workers how many backend operations (start, suspend, unsuspend, terminate) run at the same time, at
 *                most (default 4); the others wait their turn, first come first served
 */
public record HarnessJobsConfig(@ConfigDefault("4") int workers) implements ValidatedConfig {
    /** The most workers allowed: each holds a thread and, in a backend, cluster connections. */
    public static final int MAX_WORKERS = 64;

    @Override
    public List<ConfigProblem> validate() {
        if (workers < 1 || workers > MAX_WORKERS) {
            return List.of(new ConfigProblem("workers", "must be between 1 and " + MAX_WORKERS + ", got " + workers));
        }
        return List.of();
    }
}
