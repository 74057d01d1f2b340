package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.kubevirt.reconcile.DesiredObjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small hand-written desired objects of one VM job, shaped like the manifest function's (names and labels
 * as UCloud/IM's): a disk PV and PVC, a cloud-init Secret, a NetworkPolicy, a Service and an SSH Service.
 */
public final class VmJobFixture {

    private final String jobId;
    private final String namespace;
    private String hostPathRoot = "/mnt/storage";
    private int sshPort = 2222;
    private boolean ssh = true;
    private String userData = "#cloud-config\nusers: []\n";

    public VmJobFixture(String jobId, String namespace) {
        this.jobId = jobId;
        this.namespace = namespace;
    }

    public VmJobFixture hostPathRoot(String root) {
        this.hostPathRoot = root;
        return this;
    }

    public VmJobFixture sshPort(int port) {
        this.sshPort = port;
        return this;
    }

    public VmJobFixture withoutSsh() {
        this.ssh = false;
        return this;
    }

    public VmJobFixture userData(String userData) {
        this.userData = userData;
        return this;
    }

    public String vmName() {
        return "vm-" + jobId + "-0";
    }

    public String sshServiceName() {
        return "j-" + jobId + "-ssh";
    }

    public DesiredObjects desired() {
        String vm = vmName();
        List<HasMetadata> owned = new ArrayList<>();
        owned.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(vm).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("").withVolumeName(vm)
                .withVolumeMode("Filesystem")
                .withNewResources().addToRequests("storage", new Quantity("50Gi")).endResources().endSpec().build());
        owned.add(new SecretBuilder().withNewMetadata().withName(vm + "-cloud-init").endMetadata()
                .addToStringData("userdata", userData).build());
        owned.add(new NetworkPolicyBuilder().withNewMetadata().withName("policy-" + jobId).endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("ucloud.dk/vmName", vm).endPodSelector()
                .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("ucloud.dk/vmName", vm)
                .endPodSelector().endFrom().endIngress().endSpec().build());
        owned.add(new ServiceBuilder().withNewMetadata().withName("j-" + jobId).addToLabels("ucloud.dk/jobId", jobId)
                .endMetadata().withNewSpec().withType("ClusterIP")
                .addToSelector(Map.of("ucloud.dk/jobId", jobId, "ucloud.dk/rank", "0"))
                .addNewPort().withName("p-4").withProtocol("TCP").withPort(4).withTargetPort(new IntOrString(4)).endPort()
                .endSpec().build());
        if (ssh) {
            owned.add(new ServiceBuilder().withNewMetadata().withName(sshServiceName())
                    .addToLabels("ucloud.dk/jobId", jobId).endMetadata().withNewSpec().withType("ClusterIP")
                    .withExternalIPs("10.0.0.1")
                    .addToSelector(Map.of("ucloud.dk/jobId", jobId, "ucloud.dk/rank", "0"))
                    .addNewPort().withName("ssh").withProtocol("TCP").withPort(sshPort)
                    .withTargetPort(new IntOrString(22)).endPort().endSpec().build());
        }
        return new DesiredObjects(jobId, virtualMachine(), owned, List.of(volume()));
    }

    public PersistentVolume volume() {
        return new PersistentVolumeBuilder().withNewMetadata().withName(vmName()).endMetadata()
                .withNewSpec().withPersistentVolumeReclaimPolicy("Retain")
                .withCapacity(Map.of("storage", new Quantity("50Gi"))).withVolumeMode("Filesystem")
                .withAccessModes("ReadWriteMany").withStorageClassName("")
                .withNewHostPath().withPath(hostPathRoot + "/jobs/" + jobId).endHostPath()
                .endSpec().build();
    }

    public GenericKubernetesResource virtualMachine() {
        String vm = vmName();
        Map<String, Object> domain = Map.of(
                "cpu", Map.of("cores", 1, "threads", 2),
                "memory", Map.of("guest", "4G"),
                "resources", Map.of("requests", Map.of("cpu", "1750m", "memory", "4G"),
                        "limits", Map.of("cpu", "2", "memory", "4G")),
                "devices", Map.of(
                        "disks", List.of(
                                Map.of("name", "base", "disk", Map.of("bus", "virtio"), "bootOrder", 1),
                                Map.of("name", "cloudinitdisk", "disk", Map.of("bus", "virtio"), "bootOrder", 3)),
                        "interfaces", List.of(Map.of("name", "default", "masquerade", Map.of()))));
        Map<String, Object> templateSpec = Map.of(
                "domain", domain,
                "networks", List.of(Map.of("name", "default", "pod", Map.of())),
                "volumes", List.of(
                        Map.of("name", "base", "persistentVolumeClaim", Map.of("claimName", vm)),
                        Map.of("name", "cloudinitdisk", "cloudInitNoCloud",
                                Map.of("secretRef", Map.of("name", vm + "-cloud-init")))));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                .withNewMetadata().withName(vm).endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "runStrategy", dk.sdu.cloud.im.kubevirt.manifest.PowerState.RUNNING.runStrategy(),
                        "template", Map.of(
                                "metadata", Map.of("labels", Map.of("ucloud.dk/jobId", jobId, "ucloud.dk/rank", "0",
                                        "ucloud.dk/vmName", vm)),
                                "spec", templateSpec)))
                .build();
    }
}
