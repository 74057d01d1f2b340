package dk.sdu.cloud.im.agent.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The agent's sense of time: what time it is and running something later. Heartbeats, the silence rule,
 * reconnect back-off and the launcher watch all go through it, so tests drive them with a manual clock
 * instead of sleeping.
 */
public interface Scheduler {

    Instant now();

    /** Runs {@code task} once, {@code delay} from now. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, the first time one period from now. */
    Cancellable scheduleRepeating(Duration period, Runnable task);

    /** A scheduled task that can be called off; cancelling twice, or after it ran, does nothing. */
    interface Cancellable {
        void cancel();
    }
}
