package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dk.sdu.cloud.im.kubevirt.state.JobStateMapping.observe;
import static org.assertj.core.api.Assertions.assertThat;

class JobStateMappingTest {

    static VmFacts vm(String runStrategy, String printableStatus, boolean ready) {
        return new VmFacts(runStrategy, printableStatus, ready, false, null, 0, null);
    }

    static VmFacts failing(String printableStatus, String message) {
        return new VmFacts("Always", printableStatus, false, false, message, 0, null);
    }

    static final VmiFacts READY_VMI = new VmiFacts("Running", true, "node-1");
    static final VmiFacts BOOTING_VMI = new VmiFacts("Running", false, "node-1");
    static final VmiFacts SCHEDULING_VMI = new VmiFacts("Scheduling", false, null);

    @Test
    void noVmAndNoPreparationSaysNothing() {
        assertThat(observe(null, null, null)).isEqualTo(ObservedState.NONE);
        assertThat(observe(null, READY_VMI, null)).isEqualTo(ObservedState.NONE);
    }

    @Test
    void aReadyInstanceIsRunning() {
        assertThat(observe(vm("Always", "Running", true), READY_VMI, null))
                .isEqualTo(ObservedState.of(JobState.RUNNING, null));
        // Either side saying ready is enough while the VMI runs: the VM's status may lag the VMI's.
        assertThat(observe(vm("Always", "Starting", false), READY_VMI, null).state()).isEqualTo(JobState.RUNNING);
        assertThat(observe(vm("Always", "Running", true), BOOTING_VMI, null).state()).isEqualTo(JobState.RUNNING);
        assertThat(observe(vm("RerunOnFailure", "Running", true), READY_VMI, null).state()).isEqualTo(JobState.RUNNING);
        assertThat(observe(vm("Always", "Migrating", true), READY_VMI, null).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aVmThatStillSaysReadyWhileItsInstanceIsGoneDecidesNothing() {
        // Seen when the instance's deletion (a suspend) arrives before the VM's own Halted: not "booting".
        assertThat(observe(vm("Always", "Running", true), null, null)).isEqualTo(ObservedState.NONE);
        // Once the VM's status catches up, it decides.
        assertThat(observe(vm("Halted", "Stopped", false), null, null).state()).isEqualTo(JobState.SUSPENDED);
        assertThat(observe(vm("Always", "Starting", false), null, null).state()).isEqualTo(JobState.IN_QUEUE);
    }

    @Test
    void aRunningButUnreadyInstanceIsBooting() {
        assertThat(observe(vm("Always", "Running", false), BOOTING_VMI, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, JobStateMapping.BOOTING));
        assertThat(observe(vm("Always", "Running", false), null, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, JobStateMapping.BOOTING));
    }

    @Test
    void aHaltedVmWithoutInstanceIsSuspended() {
        assertThat(observe(vm("Halted", "Stopped", false), null, null))
                .isEqualTo(ObservedState.of(JobState.SUSPENDED, JobStateMapping.POWERED_OFF));
        // Whatever the status says: with no VMI and nothing to start it, it is off.
        assertThat(observe(vm("Halted", "ErrorUnschedulable", false), null, null).state()).isEqualTo(JobState.SUSPENDED);
        assertThat(observe(vm("Manual", "Stopped", false), null, null).state()).isEqualTo(JobState.SUSPENDED);
    }

    @Test
    void aVmHaltedWhileItsDiskIsPreparedIsInQueue() {
        VmFacts starting = new VmFacts("Halted", "Stopped", false, false, null, 0, null, true);
        assertThat(observe(starting, null, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, JobStateMapping.PREPARING_DISK));
        // The preparation's own progress says more, and outranks it.
        assertThat(observe(starting, null, Preparation.inProgress("Downloading disk image: 5%")))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, "Downloading disk image: 5%"));
        ObservedState failed = observe(starting, null, Preparation.failed("HTTP status 500"));
        assertThat(failed.state()).isNull();
        assertThat(failed.message()).isEqualTo("Preparing the disk failed: HTTP status 500. It is tried again when "
                + "the job is started again.");
        assertThat(observe(starting, null, Preparation.startFailed("Could not create Service j-1")).message())
                .isEqualTo("Starting the virtual machine failed: Could not create Service j-1. It is tried again "
                        + "when the job is started again.");
    }

    @Test
    void aHaltedVmWithAnInstanceIsShuttingDown() {
        assertThat(observe(vm("Halted", "Stopping", true), READY_VMI, null))
                .isEqualTo(ObservedState.message(JobStateMapping.SHUTTING_DOWN));
        assertThat(observe(vm("Always", "Stopping", false), BOOTING_VMI, null))
                .isEqualTo(ObservedState.message(JobStateMapping.SHUTTING_DOWN));
    }

    @Test
    void aManualVmWithARunningInstanceRuns() {
        assertThat(observe(vm("Manual", "Running", true), READY_VMI, null).state()).isEqualTo(JobState.RUNNING);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null,                    The virtual machine is starting.",
            "'',                      The virtual machine is starting.",
            "Stopped,                 The virtual machine is starting.",
            "Starting,                The virtual machine is starting.",
            "Provisioning,            The virtual machine's volumes are being prepared.",
            "WaitingForVolumeBinding, Waiting for the virtual machine's disk to be attached.",
            "ErrorPvcNotFound,        Waiting for the virtual machine's disk to be created.",
    })
    void preparingVmsAreInQueueWithAMessage(String printableStatus, String message) {
        assertThat(observe(vm("Always", printableStatus, false), null, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, message));
        assertThat(observe(vm("Always", printableStatus, false), SCHEDULING_VMI, null).state()).isEqualTo(JobState.IN_QUEUE);
    }

    @Test
    void unschedulableIsInQueueWithTheReason() {
        ObservedState observed = observe(failing("ErrorUnschedulable", "0/3 nodes are available: 3 Insufficient memory."),
                SCHEDULING_VMI, null);
        assertThat(observed.state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(observed.message()).isEqualTo("The virtual machine cannot be scheduled yet: 0/3 nodes are "
                + "available: 3 Insufficient memory. It starts as soon as the cluster has room.");
        assertThat(observe(failing("ErrorUnschedulable", null), null, null).message())
                .isEqualTo("The virtual machine cannot be scheduled yet. It starts as soon as the cluster has room.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ErrImagePull", "ImagePullBackOff"})
    void imagePullErrorsAreInQueueWithTheReason(String status) {
        ObservedState observed = observe(failing(status, "Back-off pulling image \"virt-launcher\""), null, null);
        assertThat(observed.state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(observed.message()).isEqualTo("The virtual machine's launcher image cannot be pulled (" + status
                + "): Back-off pulling image \"virt-launcher\". Retrying.");
    }

    @Test
    void aDataVolumeErrorIsAFailureWithItsReason() {
        assertThat(observe(failing("DataVolumeError", "import failed: 404 Not Found"), null, null)).isEqualTo(
                ObservedState.of(JobState.FAILURE, "The virtual machine's disk could not be imported: import failed: "
                        + "404 Not Found."));
    }

    @Test
    void aCrashLoopIsInQueueWithItsBackOff() {
        VmFacts crashing = new VmFacts("Always", "CrashLoopBackOff", false, false, "launcher exited", 3,
                "2030-01-01T00:05:00Z");
        assertThat(observe(crashing, null, null)).isEqualTo(ObservedState.of(JobState.IN_QUEUE, "The virtual machine "
                + "keeps failing to start (3 failed attempts; next attempt at 2030-01-01T00:05:00Z): launcher exited."));
        VmFacts once = new VmFacts("Always", "CrashLoopBackOff", false, false, null, 1, null);
        assertThat(observe(once, null, null).message())
                .isEqualTo("The virtual machine keeps failing to start (1 failed attempt).");
    }

    @ParameterizedTest
    @CsvSource({
            "Paused,             The virtual machine is paused.",
            "Unknown,            The state of the virtual machine is unknown: its node may be unreachable.",
            "WaitingForReceiver, The virtual machine reports WaitingForReceiver.",
            "SomethingNew,       The virtual machine reports SomethingNew.",
    })
    void otherStatusesAreMessagesOnly(String status, String message) {
        assertThat(observe(vm("Always", status, false), null, null)).isEqualTo(ObservedState.message(message));
    }

    @Test
    void aVmBeingDeletedSaysNothing() {
        VmFacts deleting = new VmFacts("Always", "Running", true, true, null, 0, null);
        assertThat(observe(deleting, READY_VMI, null)).isEqualTo(ObservedState.NONE);
        assertThat(observe(vm("Always", "Terminating", false), null, null)).isEqualTo(ObservedState.NONE);
    }

    @Test
    void aPreparationInProgressIsInQueueWithItsProgress() {
        Preparation downloading = Preparation.inProgress("Downloading the image: 42%");
        assertThat(observe(null, null, downloading)).isEqualTo(ObservedState.of(JobState.IN_QUEUE, "Downloading the image: 42%"));
        // It outranks a VM that only waits...
        assertThat(observe(vm("Always", "ErrorPvcNotFound", false), null, downloading))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, "Downloading the image: 42%"));
        assertThat(observe(failing("ErrorUnschedulable", "no room"), null, downloading))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, "Downloading the image: 42%"));
        // ...but not a state the VM decides.
        assertThat(observe(vm("Always", "Running", true), READY_VMI, downloading).state()).isEqualTo(JobState.RUNNING);
        assertThat(observe(vm("Halted", "Stopped", false), null, downloading).state()).isEqualTo(JobState.SUSPENDED);
        assertThat(observe(failing("DataVolumeError", "x"), null, downloading).state()).isEqualTo(JobState.FAILURE);
    }

    @Test
    void aFailedPreparationIsAMessageThatPromisesARetry() {
        ObservedState observed = observe(null, null, Preparation.failed("The image's SHA-256 does not match."));
        assertThat(observed.state()).isNull();
        assertThat(observed.message()).isEqualTo("Preparing the disk failed: The image's SHA-256 does not match. "
                + "It is tried again when the job is started again.");
    }

    // --- a guest that powers itself off, and why an instance stopped ---

    static VmFacts rerun(String printableStatus, String lastRunStrategy, boolean startRequested) {
        return new VmFacts("RerunOnFailure", printableStatus, false, false, null, 0, null, false, lastRunStrategy,
                startRequested, false);
    }

    static VmiFacts failed(String reason) {
        return new VmiFacts("Failed", false, "node-1", "uid-1", reason, null);
    }

    @Test
    void aGuestThatPoweredItselfOffSuspendsTheJob() {
        VmiFacts succeeded = new VmiFacts("Succeeded", false, "node-1");
        ObservedState off = ObservedState.of(JobState.SUSPENDED, JobStateMapping.GUEST_POWERED_OFF);
        // Seen while the ended instance is still there, and after KubeVirt deleted it (no start owed).
        assertThat(observe(rerun("Running", "RerunOnFailure", false), succeeded, null)).isEqualTo(off);
        assertThat(observe(rerun("Stopped", "RerunOnFailure", false), null, null)).isEqualTo(off);
        // Halted by the plugin afterwards, it says the same (nothing new for Core).
        assertThat(observe(new VmFacts("Halted", "Stopped", false, false, null, 0, null, false, "Halted", false,
                true), null, null)).isEqualTo(off);
        assertThat(JobStateMapping.guestPoweredOff(rerun("Stopped", "RerunOnFailure", false), null)).isTrue();
    }

    @Test
    void aRerunOnFailureVmThatOwesAStartIsNoPoweredOffGuest() {
        // After a failure KubeVirt asks for a start; a VM just switched on has not been acted on yet.
        assertThat(observe(rerun("Stopped", "RerunOnFailure", true), null, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, JobStateMapping.STARTING));
        assertThat(observe(rerun("Stopped", "Halted", false), null, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, JobStateMapping.STARTING));
        assertThat(observe(rerun(null, null, false), null, null).state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(JobStateMapping.guestPoweredOff(rerun("Stopped", "Halted", false), null)).isFalse();
        // Under Always a shutdown is a restart: not off.
        assertThat(JobStateMapping.guestPoweredOff(vm("Always", "Stopped", false),
                new VmiFacts("Succeeded", false, "node-1"))).isFalse();
    }

    @Test
    void aFailedInstanceSaysWhyItStoppedAndThatItRestarts() {
        VmFacts running = rerun("Running", "RerunOnFailure", false);
        assertThat(observe(running, failed(null), new LauncherPodFacts("Failed", null, null, "OOMKilled", 137), null))
                .isEqualTo(ObservedState.message("The virtual machine ran out of memory and was killed (OOMKilled); "
                        + "it is restarting."));
        assertThat(observe(running, failed(null), new LauncherPodFacts("Failed", "Evicted",
                "The node was low on resource: memory.", "ContainerStatusUnknown", 137), null))
                .isEqualTo(ObservedState.message("The virtual machine was evicted from its node: The node was low "
                        + "on resource: memory; it is restarting."));
        assertThat(observe(running, failed("NodeUnresponsive"), new LauncherPodFacts("Running", null, null, null,
                null), null)).isEqualTo(ObservedState.message("The node of the virtual machine stopped responding, "
                + "so the virtual machine was stopped; it is restarting."));
        assertThat(observe(running, failed(null), new LauncherPodFacts("Failed", null, null, "Error", 1), null))
                .isEqualTo(ObservedState.message("The virtual machine stopped unexpectedly (Error, exit code 1); it "
                        + "is restarting."));
        assertThat(observe(running, failed(null), null, null))
                .isEqualTo(ObservedState.message("The virtual machine stopped unexpectedly; it is restarting."));
        // A strategy that does not restart says only why.
        assertThat(observe(vm("Once", "Stopped", false), failed(null), null, null))
                .isEqualTo(ObservedState.message("The virtual machine stopped unexpectedly."));
    }

    @Test
    void anUnschedulableInstanceGivesItsReasonWhenTheVmHasNone() {
        VmiFacts pending = new VmiFacts("Scheduling", false, null, "uid-1", null,
                "0/3 nodes are available: 3 Insufficient memory.");
        assertThat(observe(vm("RerunOnFailure", "ErrorUnschedulable", false), pending, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, "The virtual machine cannot be scheduled yet: 0/3 "
                        + "nodes are available: 3 Insufficient memory. It starts as soon as the cluster has room."));
        VmiFacts noClaim = new VmiFacts("Pending", false, null, "uid-1", null,
                "failed to render launch manifest: PVC ns/disk-42 does not exist");
        assertThat(observe(vm("RerunOnFailure", "ErrorPvcNotFound", false), noClaim, null))
                .isEqualTo(ObservedState.of(JobState.IN_QUEUE, "The virtual machine's disk cannot be attached: "
                        + "failed to render launch manifest: PVC ns/disk-42 does not exist. Waiting for it."));
    }
}
