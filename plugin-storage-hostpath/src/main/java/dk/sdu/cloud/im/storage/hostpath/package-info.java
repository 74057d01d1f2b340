/**
 * The {@code HostPath} disk storage: every node sees the provider's shared file system at
 * {@code storage.hostPath}, and a job's folder reaches its VM as a {@code hostPath} PersistentVolume.
 */
package dk.sdu.cloud.im.storage.hostpath;
