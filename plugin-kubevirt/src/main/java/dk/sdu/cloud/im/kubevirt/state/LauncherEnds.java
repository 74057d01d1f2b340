package dk.sdu.cloud.im.kubevirt.state;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Why the launcher pod of each job's latest stopped instance stopped, as the pod's own events said it. The
 * informer's store cannot be asked later: KubeVirt deletes the pod of an instance that ended moments after the
 * kubelet wrote why, and the instance's news comes by another watch, often after the pod's deletion is in the
 * store. Not thread-safe: the tracker calls it under its lock.
 */
final class LauncherEnds {

    private record End(String instance, LauncherPodFacts facts) {
    }

    private final Map<String, End> ends = new HashMap<>();

    /** A launcher pod of the job's instance was seen (created, changed or deleted) with these facts. */
    void seen(String jobId, String instance, LauncherPodFacts facts) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(facts, "facts is null");
        if (instance != null && tellsWhy(facts)) {
            ends.put(jobId, new End(instance, facts));
        }
    }

    /**
     * The facts to read of the job's instance's launcher pod: the pod in the store when it tells why it stopped
     * (or nothing stopped), else what its events told before it went; null when neither is known.
     *
     * @param current the pod's facts in the informer's store, or null when it is not (or no more) there
     */
    LauncherPodFacts of(String jobId, String instance, LauncherPodFacts current) {
        if (current != null && tellsWhy(current)) {
            return current;
        }
        End end = ends.get(jobId);
        if (end != null && Objects.equals(end.instance(), instance)) {
            return end.facts();
        }
        return current;
    }

    void forget(String jobId) {
        ends.remove(jobId);
    }

    /** Whether a pod's facts say why it stopped: an eviction, or how its container ended. */
    static boolean tellsWhy(LauncherPodFacts facts) {
        return facts.terminatedReason() != null || facts.reason() != null;
    }
}
