package dk.sdu.cloud.im.storage.csi;

import dk.sdu.cloud.im.spi.storage.StaticVolumes;
import dk.sdu.cloud.im.spi.storage.StorageType;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.CSIPersistentVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.SecretReferenceBuilder;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A static CSI PV for a folder, as UCloud/IM makes it: volume handle {@code ucloud-<volume name>}
 * ({@code ucloud-vm-<job>-<rank>} for a disk), the configured volume attributes with the one named by
 * {@code subpathField} extended by the folder, and the node-stage secret when configured.
 */
@Extension
@StorageType("CsiStaticPv")
public final class CsiStaticPvDiskStorage implements VmDiskStorage {
    private final CsiStorageConfig config;

    @Inject
    public CsiStaticPvDiskStorage(CsiStorageConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public PersistentVolume describeVolume(VolumeRequest request) {
        CsiStorageConfig.Csi csi = config.csi();
        Map<String, String> attributes = new LinkedHashMap<>(csi.volumeAttributes());
        String key = config.subpathKey();
        attributes.put(key, StaticVolumes.underBase(attributes.get(key), request));

        CSIPersistentVolumeSourceBuilder source = new CSIPersistentVolumeSourceBuilder()
                .withDriver(csi.driver())
                .withVolumeHandle("ucloud-" + request.volumeName())
                .withVolumeAttributes(attributes);
        if (request.readOnly()) {
            source.withReadOnly(true);
        }
        csi.nodeStageSecretRef().ifPresent(ref -> source.withNodeStageSecretRef(
                new SecretReferenceBuilder().withName(ref.name()).withNamespace(ref.namespace()).build()));

        return StaticVolumes.skeleton(request, csi.storageClassName())
                .withCsi(source.build())
                .endSpec()
                .build();
    }
}
