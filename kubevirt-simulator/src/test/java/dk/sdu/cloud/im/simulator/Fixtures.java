package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.List;
import java.util.Map;

/** Small hand-written objects for the simulator's tests. */
final class Fixtures {

    private Fixtures() {
    }

    static GenericKubernetesResource vm(String namespace, String name, String runStrategy, String... claims) {
        List<Map<String, Object>> volumes = new java.util.ArrayList<>();
        for (String claim : claims) {
            volumes.add(Map.of("name", claim, "persistentVolumeClaim", Map.of("claimName", claim)));
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "ucloud-im").endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "runStrategy", runStrategy,
                        "template", Map.of(
                                "metadata", Map.of("labels", Map.of("ucloud.dk/jobId", name, "ucloud.dk/rank", "0")),
                                "spec", Map.of("domain", Map.of("devices", Map.of()), "volumes", volumes))))
                .build();
    }

    static OwnerReference ownedBy(GenericKubernetesResource vm) {
        return new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                .withName(vm.getMetadata().getName()).withUid(vm.getMetadata().getUid()).build();
    }

    static PersistentVolume volume(String name, String reclaimPolicy) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withPersistentVolumeReclaimPolicy(reclaimPolicy)
                .withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withAccessModes("ReadWriteMany")
                .withVolumeMode("Filesystem")
                .withStorageClassName("")
                .withNewHostPath().withPath("/data/" + name).endHostPath()
                .endSpec().build();
    }

    static PersistentVolumeClaim claim(String namespace, String name, String volumeName, OwnerReference... owners) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withOwnerReferences(owners).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteMany")
                .withStorageClassName("")
                .withVolumeName(volumeName)
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                .endSpec().build();
    }
}
