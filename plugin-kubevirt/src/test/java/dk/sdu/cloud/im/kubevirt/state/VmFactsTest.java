package dk.sdu.cloud.im.kubevirt.state;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VmFactsTest {

    static GenericKubernetesResource object(String kind, Map<String, Object> spec, Map<String, Object> status) {
        GenericKubernetesResourceBuilder builder = new GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1")
                .withKind(kind).withNewMetadata().withName("vm-42-0").endMetadata();
        if (spec != null) {
            builder.addToAdditionalProperties("spec", spec);
        }
        if (status != null) {
            builder.addToAdditionalProperties("status", status);
        }
        return builder.build();
    }

    @Test
    void readsAVirtualMachine() {
        VmFacts facts = VmFacts.of(object("VirtualMachine", Map.of("runStrategy", "Always"), Map.of(
                "printableStatus", "CrashLoopBackOff", "ready", false, "runStrategy", "Always",
                "conditions", List.of(Map.of("type", "Ready", "status", "False"),
                        Map.of("type", "Failure", "status", "True", "reason", "X", "message", "it broke")),
                "startFailure", Map.of("consecutiveFailCount", 4, "retryAfterTimestamp", "2030-01-01T00:00:00Z"))));
        assertThat(facts).isEqualTo(new VmFacts("Always", "CrashLoopBackOff", false, false, "it broke", 4,
                "2030-01-01T00:00:00Z"));
    }

    @Test
    void readsWhetherThePluginKeepsItHaltedWhileItsDiskIsPrepared() {
        GenericKubernetesResource vm = object("VirtualMachine", Map.of("runStrategy", "Halted"), null);
        assertThat(VmFacts.of(vm).starting()).isFalse();
        vm.getMetadata().setAnnotations(Map.of("ucloud.dk/lifecycle", "starting"));
        assertThat(VmFacts.of(vm).starting()).isTrue();
        vm.getMetadata().setAnnotations(Map.of("ucloud.dk/lifecycle", "suspended"));
        assertThat(VmFacts.of(vm).starting()).isFalse();
    }

    @Test
    void readsWhatRerunOnFailureNeeds() {
        GenericKubernetesResource vm = object("VirtualMachine", Map.of("runStrategy", "RerunOnFailure"),
                Map.of("runStrategy", "Halted", "stateChangeRequests", List.of(Map.of("action", "Start"))));
        VmFacts facts = VmFacts.of(vm);
        assertThat(facts.lastRunStrategy()).isEqualTo("Halted");
        assertThat(facts.startRequested()).isTrue();
        assertThat(facts.startPending()).isTrue();
        assertThat(facts.guestPoweredOff()).isFalse();

        GenericKubernetesResource off = object("VirtualMachine", Map.of("runStrategy", "RerunOnFailure"),
                Map.of("runStrategy", "RerunOnFailure", "stateChangeRequests", List.of(Map.of("action", "Stop"))));
        assertThat(VmFacts.of(off).startPending()).isFalse();
        off.getMetadata().setAnnotations(Map.of("ucloud.dk/lifecycle", "powered-off"));
        assertThat(VmFacts.of(off).guestPoweredOff()).isTrue();
    }

    @Test
    void readsWhyAnInstanceStoppedOrCannotBeScheduled() {
        GenericKubernetesResource vmi = object("VirtualMachineInstance", null, Map.of("phase", "Failed",
                "reason", "NodeUnresponsive", "conditions", List.of(Map.of("type", "PodScheduled", "status", "False",
                        "reason", "Unschedulable", "message", "0/3 nodes are available"))));
        VmiFacts facts = VmiFacts.of(vmi);
        assertThat(facts.reason()).isEqualTo("NodeUnresponsive");
        assertThat(facts.unschedulableReason()).isEqualTo("0/3 nodes are available");
        assertThat(facts.ended()).isTrue();
        assertThat(VmiFacts.of(object("VirtualMachineInstance", null, Map.of("phase", "Running"))).ended()).isFalse();
    }

    @Test
    void readsTheTerminationOfTheLauncherPodsComputeContainer() {
        io.fabric8.kubernetes.api.model.Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewStatus().withPhase("Failed")
                .addNewContainerStatus().withName("volumecontainerdisk").withNewState().withNewTerminated()
                .withReason("Completed").withExitCode(0).endTerminated().endState().endContainerStatus()
                .addNewContainerStatus().withName("compute").withNewState().withNewTerminated()
                .withReason("OOMKilled").withExitCode(137).endTerminated().endState().endContainerStatus()
                .endStatus().build();
        assertThat(LauncherPodFacts.of(pod)).isEqualTo(new LauncherPodFacts("Failed", null, null, "OOMKilled", 137));
        assertThat(LauncherPodFacts.of(new io.fabric8.kubernetes.api.model.Pod()))
                .isEqualTo(new LauncherPodFacts(null, null, null, null, null));
    }

    @Test
    void readsTheDeprecatedRunningFieldAndMissingParts() {
        assertThat(VmFacts.of(object("VirtualMachine", Map.of("running", true), null)))
                .isEqualTo(new VmFacts("Always", null, false, false, null, 0, null, false, null, false, false));
        assertThat(VmFacts.of(object("VirtualMachine", Map.of("running", false), Map.of("ready", true))))
                .isEqualTo(new VmFacts("Halted", null, true, false, null, 0, null, false, null, false, false));
        assertThat(VmFacts.of(object("VirtualMachine", null, null)).runStrategy()).isEqualTo("Halted");
    }

    @Test
    void aFailureConditionThatIsFalseIsNoFailureAndAReasonStandsInForAMessage() {
        assertThat(VmFacts.of(object("VirtualMachine", Map.of("runStrategy", "Always"), Map.of("conditions",
                List.of(Map.of("type", "Failure", "status", "False", "message", "old news"))))).failureMessage()).isNull();
        assertThat(VmFacts.of(object("VirtualMachine", Map.of("runStrategy", "Always"), Map.of("conditions",
                List.of(Map.of("type", "Failure", "status", "True", "reason", "Unschedulable"))))).failureMessage())
                .isEqualTo("Unschedulable");
    }

    @Test
    void theSchedulersReasonCopiedFromAnUnschedulableInstanceIsTheFailureMessageWhenThereIsNoFailure() {
        Map<String, Object> unscheduled = Map.of("type", "PodScheduled", "status", "False", "reason", "Unschedulable",
                "message", "0/3 nodes are available: 3 Insufficient memory.");
        assertThat(VmFacts.of(object("VirtualMachine", Map.of("runStrategy", "RerunOnFailure"), Map.of(
                "printableStatus", "ErrorUnschedulable", "conditions", List.of(unscheduled)))).failureMessage())
                .isEqualTo("0/3 nodes are available: 3 Insufficient memory.");
        assertThat(VmFacts.of(object("VirtualMachine", Map.of("runStrategy", "RerunOnFailure"), Map.of("conditions",
                List.of(unscheduled, Map.of("type", "Failure", "status", "True", "message", "own failure")))))
                .failureMessage()).isEqualTo("own failure");
        assertThat(VmFacts.of(object("VirtualMachine", Map.of("runStrategy", "RerunOnFailure"), Map.of("conditions",
                List.of(Map.of("type", "PodScheduled", "status", "True"))))).failureMessage()).isNull();
    }

    @Test
    void seesADeletion() {
        GenericKubernetesResource vm = object("VirtualMachine", Map.of("runStrategy", "Always"), null);
        vm.getMetadata().setDeletionTimestamp("2030-01-01T00:00:00Z");
        assertThat(VmFacts.of(vm).deleting()).isTrue();
    }

    @Test
    void readsAnInstance() {
        assertThat(VmiFacts.of(object("VirtualMachineInstance", null, Map.of("phase", "Running", "nodeName", "n1",
                "conditions", List.of(Map.of("type", "Ready", "status", "True"))))))
                .isEqualTo(new VmiFacts("Running", true, "n1"));
        assertThat(VmiFacts.of(object("VirtualMachineInstance", null, Map.of("phase", "Scheduling",
                "conditions", List.of(Map.of("type", "Ready", "status", "False"))))))
                .isEqualTo(new VmiFacts("Scheduling", false, null));
        assertThat(VmiFacts.of(object("VirtualMachineInstance", null, null))).isEqualTo(new VmiFacts(null, false, null));
    }

    @Test
    void findsTheJobOfAVmOrInstance() {
        GenericKubernetesResource labelled = object("VirtualMachine", Map.of("template", Map.of("metadata",
                Map.of("labels", Map.of("ucloud.dk/jobId", "4242")))), null);
        assertThat(VmStateTracker.jobOf(labelled)).contains("4242");
        GenericKubernetesResource instance = object("VirtualMachineInstance", null, null);
        instance.getMetadata().setLabels(Map.of("ucloud.dk/jobId", "77"));
        assertThat(VmStateTracker.jobOf(instance)).contains("77");
        assertThat(VmStateTracker.jobOf(object("VirtualMachine", null, null))).contains("42");
        GenericKubernetesResource odd = object("VirtualMachine", null, null);
        odd.getMetadata().setName("something-else");
        assertThat(VmStateTracker.jobOf(odd)).isEmpty();
    }
}
