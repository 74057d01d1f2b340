package dk.sdu.cloud.im.kubevirt.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A VM job's objects exactly as UCloud's own IM lays them out (its {@code kubevirt/00_module.go},
 * {@code disks.go}, {@code shared/ssh.go}): the VM {@code vm-<J>-0} without labels and with UCloud's template
 * labels, the disk PV {@code vm-<J>-0} (Retain, hostPath {@code <storage.hostPath>/<job folder>}, no type, no
 * labels), the claim {@code vm-<J>-0}, the NetworkPolicy {@code policy-<J>} and the Services {@code j-<J>},
 * {@code j-<J>-ssh}, {@code j-<J>-ip}, each owned by the VM ({@code {apiVersion, kind, name, uid}}, no controller
 * flag); the Services labelled {@code ucloud.dk/jobId}. Made with an uncounted client, as another IM would.
 */
public final class UCloudImLayout {
    private static final ResourceDefinitionContext VMS = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();
    /** The shared user-data claim ({@code services.fileSystem.claimName}) the VM's virtiofs volumes name. */
    public static final String USER_DATA_CLAIM = "cephfs";

    private final KubernetesClient admin;
    private final String namespace;

    public UCloudImLayout(KubernetesClient admin, String namespace) {
        this.admin = requireNonNull(admin, "admin is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** The operator's shared user-data volume and claim (not a job's; the VM's folder volumes name the claim). */
    public void userDataClaim(String volumeName) {
        admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(volumeName)
                .endMetadata().withNewSpec().withPersistentVolumeReclaimPolicy("Retain")
                .addToCapacity("storage", new Quantity("1Ti")).withAccessModes("ReadWriteMany")
                .withStorageClassName("").withNewHostPath().withPath("/mnt/ucloud").endHostPath().endSpec().build())
                .create();
        admin.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(USER_DATA_CLAIM).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteMany").withNewResources().addToRequests("storage", new Quantity("1Ti"))
                .endResources().withStorageClassName("").withVolumeName(volumeName).endSpec().build()).create();
    }

    /**
     * A job as UCloud's IM made it.
     *
     * @param jobId          the job
     * @param runStrategy    {@code Always}, or {@code Halted} for a job UCloud's IM suspended
     * @param diskHostPath   the disk PV's {@code hostPath.path}: {@code <storage.hostPath>/<job folder>}
     * @param diskGiB        the disk size
     * @param sshPort        the port of {@code j-<J>-ssh}, or 0 for none
     * @param sshAddress     the SSH Service's external IP
     * @return the VM's uid
     */
    public String job(String jobId, String runStrategy, String diskHostPath, int diskGiB, int sshPort,
                      String sshAddress) {
        String vmName = "vm-" + jobId + "-0";
        GenericKubernetesResource vm = admin.genericKubernetesResources(VMS).inNamespace(namespace)
                .resource(virtualMachine(jobId, vmName, runStrategy)).create();
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                .withName(vmName).withUid(vm.getMetadata().getUid()).build();
        String size = diskGiB + "Gi";
        admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(vmName)
                .endMetadata().withNewSpec().withPersistentVolumeReclaimPolicy("Retain")
                .addToCapacity("storage", new Quantity(size)).withVolumeMode("Filesystem")
                .withAccessModes("ReadWriteMany").withStorageClassName("")
                .withNewHostPath().withPath(diskHostPath).endHostPath().endSpec().build()).create();
        admin.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(vmName).withNamespace(namespace).withOwnerReferences(owner).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteMany").withNewResources()
                .addToRequests("storage", new Quantity(size)).endResources().withStorageClassName("")
                .withVolumeName(vmName).withVolumeMode("Filesystem").endSpec().build()).create();
        Map<String, String> self = Map.of("ucloud.dk/vmName", vmName);
        List<NetworkPolicyIngressRule> ingress = new java.util.ArrayList<>();
        ingress.add(new NetworkPolicyIngressRuleBuilder().addNewFrom().withNewPodSelector().withMatchLabels(self)
                .endPodSelector().endFrom().build());
        if (sshPort > 0) {
            ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(new NetworkPolicyPeerBuilder().withNewIpBlock()
                    .withCidr("0.0.0.0/0").endIpBlock().build()).addNewPort().withProtocol("TCP")
                    .withPort(new IntOrString(22)).withEndPort(22).endPort().build());
        }
        admin.network().networkPolicies().inNamespace(namespace).resource(new NetworkPolicyBuilder().withNewMetadata()
                .withName("policy-" + jobId).withOwnerReferences(owner).endMetadata().withNewSpec()
                .withNewPodSelector().withMatchLabels(self).endPodSelector()
                .addNewEgress().addNewTo().withNewPodSelector().withMatchLabels(self).endPodSelector().endTo()
                .endEgress()
                .withIngress(ingress).endSpec().build()).create();
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put("ucloud.dk/jobId", jobId);
        selector.put("ucloud.dk/rank", "0");
        if (sshPort > 0) {
            admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
                    .withName("j-" + jobId + "-ssh").addToLabels("ucloud.dk/jobId", jobId).withOwnerReferences(owner)
                    .endMetadata().withNewSpec().withType("ClusterIP").withSelector(selector)
                    .withExternalIPs(sshAddress).withPorts(new ServicePortBuilder().withName("ssh").withProtocol("TCP")
                            .withPort(sshPort).withTargetPort(new IntOrString(22)).build())
                    .endSpec().build()).create();
        }
        admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
                .withName("j-" + jobId + "-ip").addToLabels("ucloud.dk/jobId", jobId).withOwnerReferences(owner)
                .endMetadata().withNewSpec().withType("ClusterIP").withSelector(selector)
                .withExternalIPs("192.168.0.7").withPorts(new ServicePortBuilder().withName("p-0-0-8080")
                        .withProtocol("TCP").withPort(8080).withTargetPort(new IntOrString(8080)).build())
                .endSpec().build()).create();
        admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
                .withName("j-" + jobId).addToLabels("ucloud.dk/jobId", jobId).withOwnerReferences(owner)
                .endMetadata().withNewSpec().withType("ClusterIP").withSelector(selector)
                .withPorts(new ServicePortBuilder().withName("p-4").withProtocol("TCP").withPort(4).build())
                .endSpec().build()).create();
        return vm.getMetadata().getUid();
    }

    /** A VM named like a job's of UCloud's IM, or not quite, with the given template labels (none: null). */
    public GenericKubernetesResource lookalikeVm(String name, Map<String, String> templateLabels) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion("kubevirt.io/v1");
        vm.setKind("VirtualMachine");
        vm.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        Map<String, Object> template = new LinkedHashMap<>();
        if (templateLabels != null) {
            template.put("metadata", Map.of("labels", templateLabels));
        }
        template.put("spec", Map.of("domain", Map.of("devices", Map.of())));
        vm.setAdditionalProperty("spec", Map.of("runStrategy", "Halted", "template", template));
        return admin.genericKubernetesResources(VMS).inNamespace(namespace).resource(vm).create();
    }

    private GenericKubernetesResource virtualMachine(String jobId, String vmName, String runStrategy) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion("kubevirt.io/v1");
        vm.setKind("VirtualMachine");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("ucloud.dk/vmVolPath-ucloud-opt", "ucloud-exe");
        annotations.put("ucloud.dk/vmVolReadOnly-ucloud-opt", "true");
        vm.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(vmName)
                .withNamespace(namespace).withAnnotations(annotations).build());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("ucloud.dk/vmName", vmName);
        labels.put("ucloud.dk/jobId", jobId);
        labels.put("ucloud.dk/rank", "0");
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("cpu", Map.of("cores", 1, "threads", 2));
        domain.put("memory", Map.of("guest", "4G"));
        domain.put("resources", Map.of("requests", Map.of("cpu", "1750m", "memory", "4G"),
                "limits", Map.of("cpu", "2", "memory", "4G")));
        domain.put("devices", Map.of(
                "disks", List.of(Map.of("name", "base", "disk", Map.of("bus", "virtio"), "bootOrder", 1),
                        Map.of("name", "cloudinitdisk", "disk", Map.of("bus", "virtio"), "bootOrder", 3)),
                "filesystems", List.of(Map.of("name", "ucloud-opt", "virtiofs", Map.of()))));
        Map<String, Object> templateSpec = new LinkedHashMap<>();
        templateSpec.put("nodeSelector", Map.of("kubernetes.io/hostname", "node-1"));
        templateSpec.put("domain", domain);
        templateSpec.put("volumes", List.of(
                Map.of("name", "base", "persistentVolumeClaim", Map.of("claimName", vmName)),
                Map.of("name", "ucloud-opt", "persistentVolumeClaim", Map.of("claimName", USER_DATA_CLAIM)),
                Map.of("name", "cloudinitdisk", "cloudInitNoCloud", Map.of("userData", "#cloud-config\n{}",
                        "networkData", "{\"version\":2}"))));
        templateSpec.put("hostname", "j-" + jobId);
        templateSpec.put("subdomain", "j-" + jobId);
        vm.setAdditionalProperty("spec", Map.of("runStrategy", runStrategy,
                "template", Map.of("metadata", Map.of("labels", labels), "spec", templateSpec)));
        return vm;
    }
}
