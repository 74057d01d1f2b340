/**
 * Preparing a VM job's disk with {@code qemu-img}: the application's golden image is downloaded once into a
 * cache on the provider file system, checked, converted into the job folder's raw {@code disk.img} and grown
 * to the job's disk size, off the request thread and with progress.
 *
 * <p>Entry point: {@link dk.sdu.cloud.im.kubevirt.disk.DiskPreparer}; a job's request is
 * {@link dk.sdu.cloud.im.kubevirt.disk.DiskPreparationRequest#forJob}; progress arrives at a
 * {@link dk.sdu.cloud.im.kubevirt.disk.DiskPreparationListener}. The repository's
 * {@code docs/disk-preparation.md} describes the behaviour for operators.
 */
package dk.sdu.cloud.im.kubevirt.disk;
