package dk.sdu.cloud.im.kubevirt.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/** Awaitility set for an in-process API: look often, give up after a while. */
public final class Awaits {

    private Awaits() {
    }

    public static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .atMost(Duration.ofSeconds(15));
    }
}
