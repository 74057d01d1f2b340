package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A static PersistentVolume from the selected {@link VmDiskStorage} and the claim that binds it by
 * {@code volumeName}.
 *
 * <p>The volume gets the job's labels and a {@code claimRef} naming its claim: a static volume with an
 * empty storage class would otherwise be free for any claim in the cluster that asks for one, and the
 * pre-bind reserves it for the job (the Kubernetes way to reserve a static volume).
 */
final class VolumeObjects {
    /** A volume and its claim. */
    record Pair(PersistentVolume volume, PersistentVolumeClaim claim) {
    }

    private final VmDiskStorage storage;
    private final String namespace;

    VolumeObjects(VmDiskStorage storage, String namespace) {
        this.storage = requireNonNull(storage, "storage is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    Pair pair(VolumeRequest request, Map<String, String> labels) {
        PersistentVolume described = storage.describeVolume(request);
        if (described == null || described.getMetadata() == null || described.getSpec() == null
                || !request.volumeName().equals(described.getMetadata().getName())) {
            throw new IllegalStateException("storage '" + storage.type() + "' described no volume named '"
                    + request.volumeName() + "'");
        }
        PersistentVolume volume = new PersistentVolumeBuilder(described)
                .editMetadata().addToLabels(labels).endMetadata()
                .editSpec()
                .withClaimRef(new ObjectReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("PersistentVolumeClaim")
                        .withNamespace(namespace)
                        .withName(request.volumeName())
                        .build())
                .endSpec()
                .build();
        Quantity capacity = volume.getSpec().getCapacity() == null ? null
                : volume.getSpec().getCapacity().get("storage");
        if (capacity == null) {
            throw new IllegalStateException("storage '" + storage.type() + "' described volume '"
                    + request.volumeName() + "' without a storage capacity");
        }
        String storageClass = volume.getSpec().getStorageClassName() == null ? ""
                : volume.getSpec().getStorageClassName();
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(request.volumeName())
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteMany")
                .withNewResources()
                .addToRequests("storage", new Quantity(capacity.getAmount(), capacity.getFormat()))
                .endResources()
                .withStorageClassName(storageClass)
                .withVolumeName(request.volumeName())
                .withVolumeMode("Filesystem")
                .endSpec()
                .build();
        return new Pair(volume, claim);
    }
}
