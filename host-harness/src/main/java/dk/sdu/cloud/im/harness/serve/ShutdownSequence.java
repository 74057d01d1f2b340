package dk.sdu.cloud.im.harness.serve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Steps that end a running IM, run one after the other, each bounded in time and logged: a step that fails is
 * logged and the next one runs; a step that does not finish within its bound is left running (on a daemon
 * thread) and the next one runs, so that a stuck step cannot keep the process from ending.
 */
public final class ShutdownSequence {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private final List<Step> steps = new ArrayList<>();

    /** Adds a step at the end. */
    public ShutdownSequence step(String name, Duration bound, Runnable action) {
        steps.add(new Step(requireNonNull(name, "name is null"), requireNonNull(bound, "bound is null"),
                requireNonNull(action, "action is null")));
        return this;
    }

    /** The names of the steps, in order. */
    public List<String> names() {
        return steps.stream().map(Step::name).toList();
    }

    /**
     * Runs every step in order.
     *
     * @return the names of the steps that failed or ran out of time (empty when all went well)
     */
    public List<String> run() {
        List<String> troubled = new ArrayList<>();
        for (Step step : steps) {
            if (!run(step)) {
                troubled.add(step.name());
            }
        }
        return troubled;
    }

    private static boolean run(Step step) {
        long started = System.nanoTime();
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                step.action().run();
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "ucloud-im-shutdown-" + step.name().replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(Math.max(1, step.bound().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Shutdown: interrupted while waiting for '{}'; going on", step.name());
            return false;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (thread.isAlive()) {
            LOG.warn("Shutdown: '{}' did not finish within {} s; going on without it", step.name(),
                    step.bound().toSeconds());
            return false;
        }
        if (failure[0] != null) {
            LOG.warn("Shutdown: '{}' failed after {} ms; going on", step.name(), millis, failure[0]);
            return false;
        }
        LOG.info("Shutdown: {} done ({} ms)", step.name(), millis);
        return true;
    }

    private record Step(String name, Duration bound, Runnable action) {
    }
}
