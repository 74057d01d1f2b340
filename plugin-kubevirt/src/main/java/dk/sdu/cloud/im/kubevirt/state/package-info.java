/**
 * Job states from the cluster: {@link dk.sdu.cloud.im.kubevirt.state.JobStateMapping} (pure: VM, VMI, launcher
 * pod and disk preparation to a state and message; why an instance stopped is {@code StopReasons}'s) and
 * {@link dk.sdu.cloud.im.kubevirt.state.VmStateTracker} (informers on VMs, VMIs and {@code virt-launcher} pods;
 * carries on after a restart from what Core knows). The tracker's parts: {@code TransitionSender} (sends
 * transitions only), {@code MissingVms} (ends jobs whose VM is gone for longer than the grace period) and
 * {@code BootStages} (the guest's boot, agent and readiness while a job runs).
 */
package dk.sdu.cloud.im.kubevirt.state;
