package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.admission.VmCpuMillis;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The {@code kubevirt.io/v1} VirtualMachine of a job, as a {@link GenericKubernetesResource} whose spec is
 * built from ordered maps (so its YAML reads in a fixed order).
 *
 * <p>Choices that differ from UCloud/IM:
 * <ul>
 *   <li>CPU topology: {@code threads: 2} with {@code cores: cpu/2} for an even vCPU count, otherwise
 *       {@code threads: 1} with {@code cores: cpu}. The guest gets exactly the product's vCPUs (UCloud's
 *       {@code max(1, cpu/2)} cores of 2 threads gives a 1-vCPU or 3-vCPU product one vCPU more than its
 *       CPU limit pays for).</li>
 *   <li>Memory in binary units ({@code Gi}), as products are stated in GiB; UCloud writes decimal {@code G}.</li>
 *   <li>CPU request and limit as UCloud's IM computes them ({@link VmCpuMillis}): the limit is the product's
 *       share of vCPUs, the request that less the category's reserved CPU; written as whole cores when they
 *       are whole ({@code "4"}), else in millicores.</li>
 *   <li>Interfaces are explicit (masquerade on the pod network): without them KubeVirt uses the cluster's
 *       default binding, {@code bridge}, which breaks live migration and some CNIs.</li>
 *   <li>Each folder is its own PVC; read-only folders set the volume's {@code readOnly}, which KubeVirt
 *       copies to the virt-launcher pod's volume, so the host mounts them read-only.</li>
 *   <li>No {@code nodeSelector}: the Kubernetes scheduler places the VM.</li>
 * </ul>
 */
final class VirtualMachineFactory {
    /** The cluster's DNS domain (Kubernetes' default). */
    static final String CLUSTER_DOMAIN = "cluster.local";

    private final String namespace;
    private final boolean podLevelResources;

    VirtualMachineFactory(String namespace, boolean podLevelResources) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.podLevelResources = podLevelResources;
    }

    GenericKubernetesResource virtualMachine(VmJobPlan plan, PowerState power) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion(KubeVirtApi.API_VERSION);
        vm.setKind(KubeVirtApi.VIRTUAL_MACHINE_KIND);
        ObjectMetaBuilder metadata = new ObjectMetaBuilder()
                .withName(plan.names().virtualMachine())
                .withNamespace(namespace)
                .withLabels(vmLabels(plan));
        if (podLevelResources) {
            metadata.addToAnnotations(VmJobLabels.POD_LEVEL_RESOURCES, "true");
        }
        vm.setMetadata(metadata.build());

        Map<String, Object> template = ordered(
                "metadata", ordered("labels", VmJobLabels.templateLabels(plan.names(), subdomains(plan))),
                "spec", templateSpec(plan));
        vm.setAdditionalProperty("spec", ordered(
                "runStrategy", power.runStrategy(),
                "template", template));
        return vm;
    }

    private Map<String, Object> templateSpec(VmJobPlan plan) {
        return ordered(
                "domain", domain(plan),
                "networks", List.of(ordered("name", "default", "pod", Map.of())),
                "volumes", volumes(plan),
                "hostname", plan.hostname(),
                "subdomain", plan.subdomain(),
                "dnsConfig", ordered("searches", searches(plan)));
    }

    /**
     * The VM's labels: the job's, and its private networks' membership labels, so that the plugin finds a
     * network's members by a label selector (the template's labels are not selectable).
     */
    private static Map<String, String> vmLabels(VmJobPlan plan) {
        Map<String, String> labels = VmJobLabels.objectLabels(plan.jobId());
        subdomains(plan).forEach(subdomain -> labels.put(VmJobLabels.networkLabel(subdomain), VmJobLabels.MEMBER));
        return labels;
    }

    private static List<String> subdomains(VmJobPlan plan) {
        return plan.networking().privateNetworks().stream().map(PrivateNetwork::subdomain).toList();
    }

    /**
     * UCloud's IM's search list: each private network's domain (or, without one, the job's own subdomain's)
     * first, so that members are reached by their bare host names, then the namespace's and the cluster's.
     */
    private List<String> searches(VmJobPlan plan) {
        String base = namespace + ".svc." + CLUSTER_DOMAIN;
        List<String> searches = new ArrayList<>();
        List<String> subdomains = subdomains(plan);
        (subdomains.isEmpty() ? List.of(plan.subdomain()) : subdomains)
                .forEach(subdomain -> searches.add(subdomain + "." + base));
        searches.add(base);
        searches.add("svc." + CLUSTER_DOMAIN);
        searches.add(CLUSTER_DOMAIN);
        return searches;
    }

    private static Map<String, Object> domain(VmJobPlan plan) {
        boolean even = plan.cpu() % 2 == 0;
        String memory = plan.memoryGiB() + "Gi";
        Map<String, Object> requests = ordered("cpu", VmCpuMillis.quantity(plan.cpuMillis().request()), "memory", memory);
        Map<String, Object> limits = ordered("cpu", VmCpuMillis.quantity(plan.cpuMillis().limit()), "memory", memory);
        return ordered(
                "cpu", ordered("sockets", 1, "cores", even ? plan.cpu() / 2 : plan.cpu(), "threads", even ? 2 : 1),
                "memory", ordered("guest", memory),
                "resources", ordered("requests", requests, "limits", limits),
                "devices", devices(plan));
    }

    private static Map<String, Object> devices(VmJobPlan plan) {
        List<Object> filesystems = new ArrayList<>();
        for (VmMount mount : plan.mounts()) {
            filesystems.add(ordered("name", mount.tag(), "virtiofs", Map.of()));
        }
        return ordered(
                "disks", List.of(
                        ordered("name", "base", "disk", ordered("bus", "virtio"), "bootOrder", 1),
                        ordered("name", "cloudinitdisk", "disk", ordered("bus", "virtio"))),
                "interfaces", List.of(ordered("name", "default", "masquerade", Map.of())),
                "filesystems", filesystems);
    }

    private static List<Object> volumes(VmJobPlan plan) {
        List<Object> volumes = new ArrayList<>();
        volumes.add(ordered("name", "base",
                "persistentVolumeClaim", ordered("claimName", plan.names().diskVolume())));
        String secret = plan.names().cloudInitSecret();
        volumes.add(ordered("name", "cloudinitdisk",
                "cloudInitNoCloud", ordered(
                        "secretRef", ordered("name", secret),
                        "networkDataSecretRef", ordered("name", secret))));
        for (VmMount mount : plan.mounts()) {
            Map<String, Object> claim = ordered("claimName", plan.names().mountVolume(mount.suffix()));
            if (mount.readOnly()) {
                claim.put("readOnly", true);
            }
            volumes.add(ordered("name", mount.tag(), "persistentVolumeClaim", claim));
        }
        return volumes;
    }

    /** A mutable, insertion-ordered map of the given key/value pairs. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], requireNonNull(keysAndValues[i + 1], "value is null"));
        }
        return map;
    }
}
