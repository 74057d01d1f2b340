package org.example.ucloud.nfs;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.storage.StorageType;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NfsDiskStorageTest {
    private static final String JOB_FOLDER = "home/alice#1234/Jobs/VirtualMachines/4242";

    private final NfsDiskStorage storage = new NfsDiskStorage(
            new NfsStorageConfig(new NfsStorageConfig.Nfs("nfs.example.org", "/exports/ucloud")));

    @Test
    void aJobFolderIsAStaticNfsVolumeBelowTheExport() {
        PersistentVolume pv = storage.describeVolume(new VolumeRequest("vm-4242-0", "4242", 0, 60, JOB_FOLDER, false));

        assertEquals("vm-4242-0", pv.getMetadata().getName());
        assertEquals("nfs.example.org", pv.getSpec().getNfs().getServer());
        assertEquals("/exports/ucloud/" + JOB_FOLDER, pv.getSpec().getNfs().getPath());
        assertEquals(false, pv.getSpec().getNfs().getReadOnly());
        assertEquals("Retain", pv.getSpec().getPersistentVolumeReclaimPolicy());
        assertEquals("60Gi", pv.getSpec().getCapacity().get("storage").toString());
        assertEquals("Filesystem", pv.getSpec().getVolumeMode());
        assertEquals(List.of("ReadWriteMany"), pv.getSpec().getAccessModes());
        assertEquals("", pv.getSpec().getStorageClassName());
        assertNull(pv.getSpec().getHostPath());
    }

    @Test
    void aReadOnlyFolderIsAReadOnlyExport() {
        PersistentVolume pv = storage.describeVolume(new VolumeRequest("vm-1-1", "1", 0, 15, "collections/17/Data", true));

        assertEquals("/exports/ucloud/collections/17/Data", pv.getSpec().getNfs().getPath());
        assertEquals(true, pv.getSpec().getNfs().getReadOnly());
    }

    @Test
    void itIsSelectedAsNfs() {
        assertEquals("Nfs", NfsDiskStorage.class.getAnnotation(StorageType.class).value());
        assertEquals("Nfs", storage.type());
    }

    @Test
    void aRelativeOrMissingExportIsAProblemAtItsKey() {
        assertEquals(List.of(new ConfigProblem("nfs.path", "must be an absolute path on the server, got 'exports'")),
                new NfsStorageConfig(new NfsStorageConfig.Nfs("nfs.example.org", "exports")).validate());
        assertEquals(List.of(new ConfigProblem("nfs.server", "is required: the NFS server's host name or address")),
                new NfsStorageConfig(new NfsStorageConfig.Nfs(" ", "/exports")).validate());
        assertTrue(new NfsStorageConfig(new NfsStorageConfig.Nfs("nfs.example.org", "/exports")).validate().isEmpty());
    }
}
