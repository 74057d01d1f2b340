package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.job.Job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** The compute backends of this provider, by the tool backends they run. */
public final class ComputeBackends {
    private final List<ComputeBackend> all;
    private final Map<String, ComputeBackend> byToolBackend;

    /**
     * @throws IllegalArgumentException when two backends claim the same tool backend: which one runs a
     *                                  job would then be an accident of loading order
     */
    public ComputeBackends(List<ComputeBackend> backends) {
        requireNonNull(backends, "backends is null");
        this.all = List.copyOf(backends);
        Map<String, ComputeBackend> map = new LinkedHashMap<>();
        for (ComputeBackend backend : all) {
            for (String toolBackend : backend.toolBackends()) {
                ComputeBackend previous = map.putIfAbsent(toolBackend, backend);
                if (previous != null) {
                    throw new IllegalArgumentException("tool backend " + toolBackend + " is claimed by both "
                            + previous.name() + " and " + backend.name());
                }
            }
        }
        this.byToolBackend = Map.copyOf(map);
    }

    List<ComputeBackend> all() {
        return all;
    }

    Optional<ComputeBackend> forToolBackend(String toolBackend) {
        return Optional.ofNullable(toolBackend).map(byToolBackend::get);
    }

    /** The backend for a job, or why there is none. */
    public Selection select(Job job) {
        Optional<String> toolBackend = job.toolBackend();
        if (toolBackend.isEmpty()) {
            return Selection.none("the job has no tool backend"
                    + " (status.resolvedApplication.invocation.tool.tool.description.backend)");
        }
        return forToolBackend(toolBackend.get())
                .map(Selection::of)
                .orElseGet(() -> Selection.none("no compute backend here runs tool backend " + toolBackend.get()
                        + "; this provider runs " + (byToolBackend.isEmpty() ? "none"
                        : String.join(", ", Set.copyOf(byToolBackend.keySet()).stream().sorted().toList()))));
    }

    /**
     * A chosen backend, or the reason there is none.
     *
     * @param backend the backend, or null
     * @param problem why there is none, or null
     */
    public record Selection(ComputeBackend backend, String problem) {
        static Selection of(ComputeBackend backend) {
            return new Selection(requireNonNull(backend, "backend is null"), null);
        }

        static Selection none(String problem) {
            return new Selection(null, requireNonNull(problem, "problem is null"));
        }

        /** Whether a backend was found. */
        public boolean found() {
            return backend != null;
        }
    }
}
