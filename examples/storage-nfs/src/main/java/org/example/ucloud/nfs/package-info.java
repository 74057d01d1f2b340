/**
 * An example third-party storage plugin for the UCloud IM: static NFS PersistentVolumes for VM jobs.
 */
package org.example.ucloud.nfs;
