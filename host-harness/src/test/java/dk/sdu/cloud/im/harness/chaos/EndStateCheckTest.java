package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.chaos.ChaosCluster.ClusterObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The crash test's end-state rules on made-up stores and clusters. */
class EndStateCheckTest {
    private static final List<Step> CREATED = List.of(new Step(Operation.CREATE, Outcome.ACCEPTED, 200));
    private static final List<Step> TERMINATED = List.of(new Step(Operation.CREATE, Outcome.ACCEPTED, 200),
            new Step(Operation.TERMINATE, Outcome.ACCEPTED, 200));
    private static final List<Step> CREATE_UNANSWERED = List.of(new Step(Operation.CREATE, Outcome.NO_ANSWER, 0));

    @Test
    void aRunningJobWithItsRunningVmIsFine() {
        assertThat(EndStateCheck.check(Map.of("1", CREATED), Map.of("1", "RUNNING"),
                List.of(vm("1", "Always"), new ClusterObject("Secret", "vm-1-0-cloud-init", "1", null)))).isEmpty();
    }

    @Test
    void aJobWhoseCreateMayHaveFailedMayBeAbsentWithNothingLeft() {
        assertThat(EndStateCheck.check(Map.of("1", CREATE_UNANSWERED), Map.of(), List.of())).isEmpty();
    }

    @Test
    void aTerminatedJobThatTheStoreStillCallsRunning() {
        assertThat(EndStateCheck.check(Map.of("1", TERMINATED), Map.of("1", "RUNNING"), List.of(vm("1", "Always"))))
                .extracting(Violation::kind)
                .containsExactly(Violation.Kind.STATE, Violation.Kind.TERMINATED_WITH_VM);
    }

    @Test
    void aJobTheStoreLostIsReportedWithItsObjects() {
        assertThat(EndStateCheck.check(Map.of("1", CREATED), Map.of(), List.of(vm("1", "Always"))))
                .extracting(Violation::kind)
                .containsExactly(Violation.Kind.LOST, Violation.Kind.STATE, Violation.Kind.ORPHAN);
    }

    @Test
    void objectsWithoutTheLabelBelongToTheJobTheirNameIsMadeFrom() {
        List<Violation> violations = EndStateCheck.check(Map.of("1", TERMINATED), Map.of("1", "SUCCESS"), List.of(
                new ClusterObject("PersistentVolume", "vm-1-0-work", null, null),
                new ClusterObject("Service", "j-1-ssh", null, null),
                new ClusterObject("NetworkPolicy", "policy-1", null, null),
                new ClusterObject("Secret", "something-else", null, null)));
        assertThat(violations).extracting(Violation::kind).containsExactly(Violation.Kind.ORPHAN, Violation.Kind.ORPHAN);
        assertThat(violations.get(0).text()).contains("Secret something-else belongs to no job");
        assertThat(violations.get(1).text()).contains("PersistentVolume vm-1-0-work", "Service j-1-ssh", "NetworkPolicy policy-1");
    }

    @Test
    void theClusterMustAgreeWithTheStoreOnLiveJobs() {
        List<Step> suspended = List.of(new Step(Operation.CREATE, Outcome.ACCEPTED, 200),
                new Step(Operation.SUSPEND, Outcome.ACCEPTED, 200));
        assertThat(EndStateCheck.check(Map.of("1", suspended), Map.of("1", "SUSPENDED"), List.of(vm("1", "Always"))))
                .extracting(Violation::kind).containsExactly(Violation.Kind.CLUSTER);
        assertThat(EndStateCheck.check(Map.of("1", CREATED), Map.of("1", "RUNNING"), List.of()))
                .extracting(Violation::kind).containsExactly(Violation.Kind.CLUSTER);
    }

    @Test
    void inQueueIsNoEnd() {
        assertThat(EndStateCheck.check(Map.of("1", CREATED), Map.of("1", "IN_QUEUE"), List.of(vm("1", "Halted"))))
                .extracting(Violation::kind).containsExactly(Violation.Kind.STATE);
    }

    private static ClusterObject vm(String jobId, String runStrategy) {
        return new ClusterObject("VirtualMachine", "vm-" + jobId + "-0", jobId, runStrategy);
    }
}
