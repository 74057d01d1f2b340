package dk.sdu.cloud.im.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ending a process and everything it started, as systemd ends a unit's control group. */
final class ProcessTrees {

    private ProcessTrees() {
    }

    /**
     * Sends SIGTERM to a process and its descendants, waits up to {@code timeout} for all of them to end,
     * then kills (SIGKILL) those still there. Returns once none is left (or the kill was sent and the wait for
     * it ran out).
     */
    static void terminate(ProcessHandle process, Duration timeout) {
        // The descendants first: once the parent is gone they belong to init and cannot be found from it.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(0, process);
        all.forEach(ProcessHandle::destroy);
        if (!awaitExit(all, timeout)) {
            all.forEach(ProcessHandle::destroyForcibly);
            awaitExit(all, timeout);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
