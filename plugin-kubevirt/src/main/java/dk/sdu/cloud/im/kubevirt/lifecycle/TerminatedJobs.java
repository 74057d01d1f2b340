package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The jobs that have been terminated, so that a start or unsuspend that comes after a terminate (or waited
 * for its lock) never makes the job's objects again. Two sources: the ids this IM terminated or found
 * terminating at its start (the most recent ones, a bounded number), and the disk's PersistentVolume, whose
 * {@code ucloud.dk/lifecycle: terminating} annotation a later IM sees as well, until the volume is deleted
 * once Released. After that, only the host's record of the job's end keeps it from being started again.
 */
final class TerminatedJobs {
    private final Map<String, Boolean> recent;   // guarded by this; in order of termination, oldest first
    private final Function<String, Optional<? extends HasMetadata>> diskVolumes;

    /**
     * @param capacity    how many job ids are remembered
     * @param diskVolumes a PersistentVolume by name, as last seen (no API call: this is asked on every start)
     */
    TerminatedJobs(int capacity, Function<String, Optional<? extends HasMetadata>> diskVolumes) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.diskVolumes = requireNonNull(diskVolumes, "diskVolumes is null");
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The job is being terminated, or was. */
    synchronized void add(String jobId) {
        recent.put(requireNonNull(jobId, "jobId is null"), Boolean.TRUE);
    }

    /** Whether the job was terminated: remembered, or its disk's volume says so. */
    boolean contains(String jobId) {
        requireNonNull(jobId, "jobId is null");
        synchronized (this) {
            if (recent.containsKey(jobId)) {
                return true;
            }
        }
        return diskVolumes.apply(new VmJobNames(jobId).diskVolume()).filter(TerminatedJobs::marksTermination)
                .isPresent();
    }

    /** Whether a volume carries the mark of its job's termination. */
    static boolean marksTermination(HasMetadata volume) {
        Map<String, String> annotations = volume.getMetadata().getAnnotations();
        return annotations != null
                && VmJobLabels.LIFECYCLE_TERMINATING.equals(annotations.get(VmJobLabels.LIFECYCLE));
    }
}
