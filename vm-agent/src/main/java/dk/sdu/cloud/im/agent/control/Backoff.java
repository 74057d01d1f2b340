package dk.sdu.cloud.im.agent.control;

import java.time.Duration;

/** Waits between reconnects: 1 s, doubling up to 30 s; back to 1 s after a successful welcome. */
public final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);

    private Duration next = FIRST;

    public synchronized Duration next() {
        var current = next;
        var doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        return current;
    }

    public synchronized void reset() {
        next = FIRST;
    }
}
