/**
 * What a VM guest is told at boot: the cloud-init NoCloud documents
 * ({@link dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRenderer}), the agent's configuration
 * ({@link dk.sdu.cloud.im.kubevirt.cloudinit.AgentConfig}) and the agent's list of folders to mount
 * ({@link dk.sdu.cloud.im.kubevirt.cloudinit.MountsFileRenderer}). Documents are built as data and
 * serialized, never assembled from strings.
 */
package dk.sdu.cloud.im.kubevirt.cloudinit;
