package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.List;

/**
 * {@code harness.core.outbox}: the delivery of job updates to UCloud/Core ({@code core.outbox.CoreUpdateOutbox}).
 *
 * @param maxBatch at most this many updates per call to Core (default {@value #DEFAULT_MAX_BATCH}; 1-1000)
 */
public record HarnessOutboxConfig(@ConfigDefault("100") int maxBatch) implements ValidatedConfig {
    /** The default of {@code maxBatch}. */
    public static final int DEFAULT_MAX_BATCH = 100;
    /** The largest {@code maxBatch}: what UCloud's IM asks of Core at most in one call. */
    public static final int MAX_BATCH = 1000;

    @Override
    public List<ConfigProblem> validate() {
        if (maxBatch < 1 || maxBatch > MAX_BATCH) {
            return List.of(new ConfigProblem("maxBatch", "must be 1-" + MAX_BATCH + ", got " + maxBatch));
        }
        return List.of();
    }
}
