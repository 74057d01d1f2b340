/**
 * The {@code CsiStaticPv} disk storage: a job's folder reaches its VM as a static PersistentVolume of a CSI
 * driver (e.g. CephFS) whose volume attributes point at that folder.
 */
package dk.sdu.cloud.im.storage.csi;
