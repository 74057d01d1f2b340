/**
 * The storage extension point: how a virtual machine's disk folder (and its other folders) reach the node
 * that runs it. A {@link dk.sdu.cloud.im.spi.storage.VmDiskStorage} describes a static
 * {@code PersistentVolume} for a folder of the provider's file system. It knows nothing of KubeVirt.
 */
package dk.sdu.cloud.im.spi.storage;
