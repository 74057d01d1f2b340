package dk.sdu.cloud.im.simulator;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/** Awaitility set for a local, in-process API: look often, give up after a while. */
final class Awaits {

    private Awaits() {
    }

    static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .atMost(Duration.ofSeconds(10));
    }
}
