package dk.sdu.cloud.im.simulator;

/**
 * A failure a test asked for: the VM's starts end in {@code printableStatus} until the VM is halted or
 * {@link KubeVirtSimulator#recover(String) recovered}.
 *
 * @param printableStatus the status the VM shows, e.g. {@code ErrorUnschedulable}
 * @param message         the message of the VM's {@code Failure} condition
 * @param crashLoop       whether it is a crash loop (status {@code startFailure}, and a running VM fails now)
 * @param unschedulable   whether the start gets a VMI that stays in phase {@code Scheduling}, its launcher pod
 *                        {@code Pending} with a {@code PodScheduled} condition {@code False} whose message is
 *                        {@code message} (as the scheduler leaves it), rather than no VMI at all
 * @param attempted       whether a start has run into it (only then does halting the VM clear it)
 */
record FailurePlan(String printableStatus, String message, boolean crashLoop, boolean unschedulable,
                   boolean attempted) {

    /** KubeVirt's status for a VM whose instance's pod finds no node. */
    static final String UNSCHEDULABLE = "ErrorUnschedulable";

    FailurePlan attemptedOnce() {
        return new FailurePlan(printableStatus, message, crashLoop, unschedulable, true);
    }
}
