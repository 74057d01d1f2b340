/**
 * A VM job's follow stream ({@link dk.sdu.cloud.im.spi.compute.ComputeBackend#follow}): the guest agent's log
 * lines and the guest's metrics, until the job ends.
 */
package dk.sdu.cloud.im.kubevirt.follow;
