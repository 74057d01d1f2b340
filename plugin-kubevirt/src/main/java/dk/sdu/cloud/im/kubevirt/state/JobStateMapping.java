package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.spi.job.JobState;

/**
 * The pure function from what the cluster shows of a job (its VM, its VMI, its disk preparation) to the job's
 * state and message. Which statuses end a job and which only inform is decided here, each with its reason.
 */
public final class JobStateMapping {

    static final String POWERED_OFF = "The virtual machine is powered off.";
    static final String GUEST_POWERED_OFF = "The guest powered itself off: the virtual machine is off, its disk is "
            + "kept. Start the job to boot it again.";
    static final String RESTARTING = "; it is restarting.";
    static final String STARTING = "The virtual machine is starting.";
    static final String BOOTING = "The virtual machine is booting.";
    static final String SHUTTING_DOWN = "The virtual machine is shutting down.";
    static final String PROVISIONING = "The virtual machine's volumes are being prepared.";
    static final String WAITING_FOR_VOLUME = "Waiting for the virtual machine's disk to be attached.";
    static final String WAITING_FOR_CLAIM = "Waiting for the virtual machine's disk to be created.";
    static final String PAUSED = "The virtual machine is paused.";
    static final String PREPARING_DISK = "The virtual machine's disk is being prepared.";
    static final String UNKNOWN = "The state of the virtual machine is unknown: its node may be unreachable.";

    private JobStateMapping() {
    }

    /**
     * The state of a job.
     *
     * @param vm          its VirtualMachine, or null when there is none
     * @param vmi         its VirtualMachineInstance, or null
     * @param preparation its disk preparation while it runs or after it failed, or null
     */
    public static ObservedState observe(VmFacts vm, VmiFacts vmi, Preparation preparation) {
        return observe(vm, vmi, null, preparation);
    }

    /**
     * The state of a job.
     *
     * @param vm          its VirtualMachine, or null when there is none
     * @param vmi         its VirtualMachineInstance, or null
     * @param pod         that instance's {@code virt-launcher} pod, or null
     * @param preparation its disk preparation while it runs or after it failed, or null
     */
    public static ObservedState observe(VmFacts vm, VmiFacts vmi, LauncherPodFacts pod, Preparation preparation) {
        if (vm == null) {
            return preparation == null ? ObservedState.NONE : ofPreparation(preparation);
        }
        ObservedState fromVm = ofVirtualMachine(vm, vmi, pod);
        // A preparation the preparer still reports outranks a VM that is only waiting (e.g. for its disk):
        // it says why, and how far it is. It never hides a state that the VM decides.
        if (preparation != null && fromVm.state() != JobState.RUNNING && fromVm.state() != JobState.SUSPENDED
                && fromVm.state() != JobState.FAILURE) {
            return ofPreparation(preparation);
        }
        return fromVm;
    }

    private static ObservedState ofPreparation(Preparation preparation) {
        switch (preparation.phase()) {
            case IN_PROGRESS:
                return ObservedState.of(JobState.IN_QUEUE, preparation.message());
            case FAILED:
            default:
                // Not FAILURE: the next start retries the preparation (UCloud never retried, we do), so the
                // job is not over; the user reads why and may start it again or terminate it.
                String message = preparation.message();
                return ObservedState.message(message + (message.endsWith(".") ? "" : ".")
                        + " It is tried again when the job is started again.");
        }
    }

    /** Whether the guest of a VM powered itself off and KubeVirt left it off (see {@link #observe}). */
    public static boolean guestPoweredOff(VmFacts vm, VmiFacts vmi) {
        if (vm == null || vm.deleting() || !"RerunOnFailure".equals(vm.runStrategy())) {
            return false;
        }
        if (vmi != null) {
            return "Succeeded".equals(vmi.phase());
        }
        // The instance is gone (KubeVirt deletes one that ended) and no start is owed: only a guest's own
        // shutdown leaves a RerunOnFailure VM so. After a failure KubeVirt asks for a start in the same step.
        return !vm.startPending() && !vm.ready() && "Stopped".equals(vm.printableStatus());
    }

    private static ObservedState ofVirtualMachine(VmFacts vm, VmiFacts vmi, LauncherPodFacts pod) {
        if (vm.deleting()) {
            // Terminating: the end is reported by whoever deleted it, or by the missing-VM rule.
            return ObservedState.NONE;
        }
        boolean halted = "Halted".equals(vm.runStrategy()) || "Manual".equals(vm.runStrategy()) && vmi == null;
        if (halted && vmi == null && vm.starting()) {
            // Halted on purpose while the plugin prepares its disk: a job in the queue, not a suspended one.
            return ObservedState.of(JobState.IN_QUEUE, PREPARING_DISK);
        }
        if (halted && vmi == null) {
            return ObservedState.of(JobState.SUSPENDED, vm.guestPoweredOff() ? GUEST_POWERED_OFF : POWERED_OFF);
        }
        if (!"Halted".equals(vm.runStrategy()) && guestPoweredOff(vm, vmi)) {
            // SUSPENDED, not SUCCESS: the disk is kept and the user may start the job again. The plugin then
            // halts the VM (annotated powered-off), so that a start is an unsuspend as after any suspend.
            return ObservedState.of(JobState.SUSPENDED, GUEST_POWERED_OFF);
        }
        if (vmi != null && "Failed".equals(vmi.phase()) && !"Halted".equals(vm.runStrategy())) {
            // A message, not a state: KubeVirt restarts it (RerunOnFailure, Always), and the states of that
            // restart follow; under another strategy it stays off, which the VM's status then says.
            boolean restarts = "RerunOnFailure".equals(vm.runStrategy()) || "Always".equals(vm.runStrategy());
            return ObservedState.message(StopReasons.of(vmi, pod) + (restarts ? RESTARTING : "."));
        }
        if ("Halted".equals(vm.runStrategy())) {
            return ObservedState.message(SHUTTING_DOWN);
        }
        if (vmi != null && (vmi.ready() || vm.ready()) && "Running".equals(vmi.phase())) {
            return ObservedState.of(JobState.RUNNING, null);
        }
        if (vmi == null && vm.ready()) {
            // The VM still says its instance is ready, but the instance is gone: the two come from separate
            // watches, so the VM's status is older news (a suspend seen half, a crash before the controller
            // noticed). Deciding nothing waits for the VM's next status instead of saying "booting" in between.
            return ObservedState.NONE;
        }
        String status = vm.printableStatus() == null ? "" : vm.printableStatus();
        switch (status) {
            case "":
            case "Stopped":         // a VM that should run, before the controller got to it
            case "Starting":
                return ObservedState.of(JobState.IN_QUEUE, STARTING);
            case "Running":         // the VMI runs but is not ready (yet): the guest is still coming up
                return ObservedState.of(JobState.IN_QUEUE, BOOTING);
            case "Provisioning":
                return ObservedState.of(JobState.IN_QUEUE, PROVISIONING);
            case "WaitingForVolumeBinding":
                return ObservedState.of(JobState.IN_QUEUE, WAITING_FOR_VOLUME);
            case "ErrorPvcNotFound":
                // Not a failure: the reconciler creates the VM before its claims (they need its uid as owner),
                // so every start passes through this for a moment, and a missing claim is made again by the
                // next reconcile. KubeVirt's reason (on the instance) says which claim, when it has one.
                return ObservedState.of(JobState.IN_QUEUE, vmi == null || vmi.unschedulableReason() == null
                        ? WAITING_FOR_CLAIM : "The virtual machine's disk cannot be attached"
                        + detail(vmi.unschedulableReason()) + " Waiting for it.");
            case "ErrorUnschedulable":
                // IN_QUEUE with the reason, not FAILURE: KubeVirt keeps trying and the VM starts when the cluster
                // has room. Not "state stays" either: a job that was RUNNING (a restart after a node went) would
                // go on showing RUNNING, and being accounted as running, while nothing runs.
                return ObservedState.of(JobState.IN_QUEUE, "The virtual machine cannot be scheduled yet"
                        + detail(vm.failureMessage() != null || vmi == null ? vm.failureMessage()
                        : vmi.unschedulableReason()) + " It starts as soon as the cluster has room.");
            case "ErrImagePull":
            case "ImagePullBackOff":
                // IN_QUEUE with the reason: our VMs boot from a volume, so the image that fails is KubeVirt's own
                // launcher image, a cluster problem the kubelet keeps retrying and an operator can fix.
                return ObservedState.of(JobState.IN_QUEUE, "The virtual machine's launcher image cannot be pulled ("
                        + status + ")" + detail(vm.failureMessage()) + " Retrying.");
            case "DataVolumeError":
                // FAILURE: a DataVolume whose import fails does not come right by waiting (bad source), and
                // the plugin makes no DataVolumes, so no reconcile of ours can repair it.
                return ObservedState.of(JobState.FAILURE, "The virtual machine's disk could not be imported"
                        + detail(vm.failureMessage()));
            case "CrashLoopBackOff":
                // IN_QUEUE with the back-off: KubeVirt retries (up to every 5 minutes) and the user may wait or
                // terminate; the VM does not run meanwhile, so it must not show (or be accounted) as RUNNING.
                return ObservedState.of(JobState.IN_QUEUE, "The virtual machine keeps failing to start ("
                        + vm.failedStarts() + " failed " + (vm.failedStarts() == 1 ? "attempt" : "attempts")
                        + (vm.retryAfter() == null ? "" : "; next attempt at " + vm.retryAfter()) + ")"
                        + detail(vm.failureMessage()));
            case "Stopping":
                return ObservedState.message(SHUTTING_DOWN);
            case "Paused":
                return ObservedState.message(PAUSED);
            case "Unknown":
                return ObservedState.message(UNKNOWN);
            case "Terminating":
                return ObservedState.NONE;
            default:
                // Migrating, WaitingForReceiver, and statuses of later KubeVirt versions: say it, decide nothing.
                return ObservedState.message("The virtual machine reports " + status + ".");
        }
    }

    private static String detail(String message) {
        return message == null || message.isBlank() ? "." : ": " + message + (message.endsWith(".") ? "" : ".");
    }
}
