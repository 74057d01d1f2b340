/**
 * The desired Kubernetes objects of a VM job: {@link dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory}
 * turns a {@link dk.sdu.cloud.im.kubevirt.admission.VmJobPlan} (plus what the reconciler holds: tokens, SSH
 * keys, an SSH port) into {@link dk.sdu.cloud.im.kubevirt.manifest.VmJobObjects}, and
 * {@link dk.sdu.cloud.im.kubevirt.manifest.ManifestRenderer} prints them. Pure functions, no cluster calls;
 * owner references are the reconciler's to add.
 */
package dk.sdu.cloud.im.kubevirt.manifest;
