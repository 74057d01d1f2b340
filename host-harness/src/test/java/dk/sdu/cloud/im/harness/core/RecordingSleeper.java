package dk.sdu.cloud.im.harness.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records the waits instead of waiting. */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
