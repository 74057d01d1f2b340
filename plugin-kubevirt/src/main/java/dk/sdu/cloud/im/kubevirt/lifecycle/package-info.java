/**
 * The lifecycle of VM jobs, composed from the other rooms: {@link dk.sdu.cloud.im.kubevirt.lifecycle.VmJobLifecycle}
 * starts, suspends, unsuspends and terminates jobs (admission, job folders, agent tokens, desired objects, the
 * reconciler, disk preparation, SSH ports, the state tracker) and resumes half-done work after an IM restart from
 * what the cluster and the provider file system hold.
 */
package dk.sdu.cloud.im.kubevirt.lifecycle;
