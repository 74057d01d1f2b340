/**
 * Job states from the cluster: {@link dk.sdu.cloud.im.kubevirt.state.JobStateMapping} (pure: VM, VMI and disk
 * preparation to a state and message) and {@link dk.sdu.cloud.im.kubevirt.state.VmStateTracker} (informers on
 * VMs and VMIs; sends transitions only, carries on after a restart from what Core knows, ends jobs whose VM is
 * gone for longer than the grace period).
 */
package dk.sdu.cloud.im.kubevirt.state;
