package dk.sdu.cloud.im.testkit;

import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@code VmDiskStorage} must put on every volume it describes (its Javadoc; {@code StaticVolumes.skeleton}
 * gives all of it): the request's name, reclaim policy {@code Retain}, capacity {@code <capacityGiB>Gi},
 * volume mode {@code Filesystem}, access mode {@code ReadWriteMany}, a storage class name (may be empty).
 * The volume source (hostPath, csi, nfs, ...) is the plugin's own and is not checked.
 */
public final class StaticVolumeContract {
    private StaticVolumeContract() {
    }

    /** Where the volume breaks the contract, one line each; empty when it keeps it. */
    public static List<String> violations(PersistentVolume volume, VolumeRequest request) {
        List<String> violations = new ArrayList<>();
        if (volume == null) {
            return List.of("no volume (null)");
        }
        String name = volume.getMetadata() == null ? null : volume.getMetadata().getName();
        expect(violations, "metadata.name", request.volumeName(), name);
        PersistentVolumeSpec spec = volume.getSpec();
        if (spec == null) {
            violations.add("no spec");
            return violations;
        }
        expect(violations, "spec.persistentVolumeReclaimPolicy", "Retain", spec.getPersistentVolumeReclaimPolicy());
        expect(violations, "spec.capacity", Map.of("storage", new Quantity(request.capacityGiB() + "Gi")), spec.getCapacity());
        expect(violations, "spec.volumeMode", "Filesystem", spec.getVolumeMode());
        expect(violations, "spec.accessModes", List.of("ReadWriteMany"), spec.getAccessModes());
        if (spec.getStorageClassName() == null) {
            violations.add("spec.storageClassName: missing (give \"\" for none; the claim copies it)");
        }
        return violations;
    }

    /** @throws AssertionError listing every violation, when there is any */
    public static void assertKeptBy(PersistentVolume volume, VolumeRequest request) {
        List<String> violations = violations(volume, request);
        if (!violations.isEmpty()) {
            throw new AssertionError("the volume for " + request.volumeName() + " breaks the VmDiskStorage contract: "
                    + String.join("; ", violations));
        }
    }

    private static void expect(List<String> violations, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            violations.add(what + ": expected " + expected + ", got " + actual);
        }
    }
}
