package org.example.ucloud.nfs;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import dk.sdu.cloud.im.testkit.ConfigSections;
import dk.sdu.cloud.im.testkit.StaticVolumeContract;
import dk.sdu.cloud.im.testkit.VolumeRequests;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The plugin as the IM would use it, checked with the test kit: its YAML bound by the host's rules. */
class NfsStorageConfigTest {
    private static final String SECTION = "services.compute.virtualMachines.storage";

    @Test
    void theYamlOfTheDocsBindsAndGivesVolumesThatKeepTheContract() {
        NfsStorageConfig config = ConfigSections.bind(NfsStorageConfig.class, """
                type: Nfs
                nfs:
                  server: nfs.example.org
                  path: /exports/ucloud
                """);
        NfsDiskStorage storage = new NfsDiskStorage(config);

        VolumeRequest jobFolder = VolumeRequests.jobFolder("4242", "alice#1234");
        PersistentVolume volume = storage.describeVolume(jobFolder);

        StaticVolumeContract.assertKeptBy(volume, jobFolder);
        assertEquals("/exports/ucloud/home/alice#1234/Jobs/VirtualMachines/4242", volume.getSpec().getNfs().getPath());
        VolumeRequest readOnly = VolumeRequests.folder("4242", "r0", "collections/17/Data", true);
        StaticVolumeContract.assertKeptBy(storage.describeVolume(readOnly), readOnly);
    }

    @Test
    void aMisspelledKeyIsReportedByTheHostWithASuggestion() {
        assertEquals(List.of(new ConfigProblem(SECTION + ".nfs.sever",
                        "unknown key 'sever' (did you mean 'server'?); known keys here: path, server")),
                ConfigSections.problems(NfsStorageConfig.class, "nfs: {sever: nfs.example.org, server: x, path: /e}"));
    }

    @Test
    void itsOwnChecksAreReportedAtTheirFullPath() {
        assertEquals(List.of(new ConfigProblem(SECTION + ".nfs.path", "must be an absolute path on the server, got 'exports'")),
                ConfigSections.problems(NfsStorageConfig.class, "nfs: {server: nfs.example.org, path: exports}"));
    }
}
