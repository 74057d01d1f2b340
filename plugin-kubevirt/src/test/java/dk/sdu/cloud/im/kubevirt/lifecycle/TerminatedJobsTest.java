package dk.sdu.cloud.im.kubevirt.lifecycle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the lifecycle knows of terminated jobs: its own recent terminations, and the marks on disk volumes. */
class TerminatedJobsTest {
    private final Map<String, PersistentVolume> volumes = new HashMap<>();
    private final TerminatedJobs terminated = new TerminatedJobs(2, name -> Optional.ofNullable(volumes.get(name)));

    @Test
    void remembersTheMostRecentTerminations() {
        terminated.add("a");
        terminated.add("b");
        terminated.add("c");

        assertThat(terminated.contains("a")).as("forgotten: memory is bounded").isFalse();
        assertThat(terminated.contains("b")).isTrue();
        assertThat(terminated.contains("c")).isTrue();
        assertThat(terminated.contains("d")).isFalse();
    }

    @Test
    void aForgottenJobWhoseDiskVolumeIsMarkedTerminatingIsStillTerminated() {
        volumes.put("vm-a-0", volume("vm-a-0", "terminating"));
        volumes.put("vm-x-0", volume("vm-x-0", "terminating"));
        volumes.put("vm-y-0", volume("vm-y-0", null));
        terminated.add("a");
        terminated.add("b");
        terminated.add("c");

        assertThat(terminated.contains("a")).isTrue();
        assertThat(terminated.contains("x")).as("terminated by an earlier IM").isTrue();
        assertThat(terminated.contains("y")).as("a volume without the mark").isFalse();
    }

    @Test
    void onlyTheTerminatingMarkCounts() {
        HasMetadata starting = volume("vm-a-0", "starting");
        HasMetadata bare = new PersistentVolumeBuilder().withNewMetadata().withName("vm-a-0").endMetadata().build();

        assertThat(TerminatedJobs.marksTermination(volume("vm-a-0", "terminating"))).isTrue();
        assertThat(TerminatedJobs.marksTermination(starting)).isFalse();
        assertThat(TerminatedJobs.marksTermination(bare)).isFalse();
        assertThatThrownBy(() -> new TerminatedJobs(0, name -> Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PersistentVolume volume(String name, String lifecycle) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name)
                .addToAnnotations(lifecycle == null ? Map.of() : Map.of("ucloud.dk/lifecycle", lifecycle))
                .endMetadata().build();
    }
}
