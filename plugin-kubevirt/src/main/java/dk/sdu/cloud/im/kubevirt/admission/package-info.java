/**
 * Admission of VM jobs: {@link dk.sdu.cloud.im.kubevirt.admission.VmJobAdmission} checks a job against the
 * provider's settings and resolves it into an immutable {@link dk.sdu.cloud.im.kubevirt.admission.VmJobPlan},
 * or rejects it with a message for the user. Nothing here talks to a cluster or a file system.
 */
package dk.sdu.cloud.im.kubevirt.admission;
