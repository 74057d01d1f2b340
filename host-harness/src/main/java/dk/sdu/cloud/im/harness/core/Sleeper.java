package dk.sdu.cloud.im.harness.core;

import java.time.Duration;

/** Waits between attempts of a call to Core; tests record the waits instead. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread. */
    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

    /** Waits {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
