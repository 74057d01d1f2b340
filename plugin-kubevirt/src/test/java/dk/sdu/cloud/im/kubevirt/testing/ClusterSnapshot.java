package dk.sdu.cloud.im.kubevirt.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Every object of the kinds a VM job has, in one namespace, plus the PersistentVolumes. */
public final class ClusterSnapshot {

    private static final ResourceDefinitionContext VMS = kubevirt("VirtualMachine", "virtualmachines");
    private static final ResourceDefinitionContext VMIS = kubevirt("VirtualMachineInstance", "virtualmachineinstances");
    private static final List<ResourceDefinitionContext> NAMESPACED = List.of(VMS, VMIS,
            core("PersistentVolumeClaim", "persistentvolumeclaims"), core("Secret", "secrets"),
            core("Service", "services"), core("ConfigMap", "configmaps"),
            new ResourceDefinitionContext.Builder().withGroup("networking.k8s.io").withVersion("v1")
                    .withKind("NetworkPolicy").withPlural("networkpolicies").withNamespaced(true).build(),
            new ResourceDefinitionContext.Builder().withGroup("networking.k8s.io").withVersion("v1")
                    .withKind("Ingress").withPlural("ingresses").withNamespaced(true).build());
    private static final ResourceDefinitionContext VOLUMES = new ResourceDefinitionContext.Builder().withGroup("")
            .withVersion("v1").withKind("PersistentVolume").withPlural("persistentvolumes").withNamespaced(false).build();

    private final List<GenericKubernetesResource> namespaced;
    private final List<GenericKubernetesResource> volumes;

    private ClusterSnapshot(List<GenericKubernetesResource> namespaced, List<GenericKubernetesResource> volumes) {
        this.namespaced = namespaced;
        this.volumes = volumes;
    }

    /** The objects of a namespace, and the PersistentVolumes whose names start with a prefix. */
    public static ClusterSnapshot of(KubernetesClient client, String namespace, String volumePrefix) {
        List<GenericKubernetesResource> namespaced = new ArrayList<>();
        for (ResourceDefinitionContext kind : NAMESPACED) {
            namespaced.addAll(client.genericKubernetesResources(kind).inNamespace(namespace).list().getItems());
        }
        List<GenericKubernetesResource> volumes = client.genericKubernetesResources(VOLUMES).list().getItems()
                .stream().filter(v -> v.getMetadata().getName().startsWith(volumePrefix)).toList();
        return new ClusterSnapshot(namespaced, volumes);
    }

    /** "Kind/name" -> uid of every object. */
    public Map<String, String> uids() {
        Map<String, String> uids = new TreeMap<>();
        for (GenericKubernetesResource object : all()) {
            uids.put(object.getKind() + "/" + object.getMetadata().getName(), object.getMetadata().getUid());
        }
        return uids;
    }

    /** "Kind/name" -> resourceVersion of every object. */
    public Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        for (GenericKubernetesResource object : all()) {
            versions.put(object.getKind() + "/" + object.getMetadata().getName(),
                    object.getMetadata().getResourceVersion());
        }
        return versions;
    }

    public Set<String> names() {
        return uids().keySet();
    }

    /** Namespaced objects other than VMs that no existing VM owns (by uid): what nothing would ever collect. */
    public List<String> orphans() {
        Set<String> vmUids = namespaced.stream().filter(o -> "VirtualMachine".equals(o.getKind()))
                .map(o -> o.getMetadata().getUid()).collect(Collectors.toSet());
        List<String> orphans = new ArrayList<>();
        for (GenericKubernetesResource object : namespaced) {
            if ("VirtualMachine".equals(object.getKind())) {
                continue;
            }
            boolean owned = object.getMetadata().getOwnerReferences().stream()
                    .map(OwnerReference::getUid).anyMatch(vmUids::contains);
            if (!owned) {
                orphans.add(object.getKind() + "/" + object.getMetadata().getName());
            }
        }
        return orphans;
    }

    /** The phase of each PersistentVolume, by name. */
    public Map<String, String> volumePhases() {
        Map<String, String> phases = new TreeMap<>();
        for (GenericKubernetesResource volume : volumes) {
            Object phase = volume.get("status", "phase");
            phases.put(volume.getMetadata().getName(), phase == null ? "" : phase.toString());
        }
        return phases;
    }

    private List<GenericKubernetesResource> all() {
        List<GenericKubernetesResource> all = new ArrayList<>(namespaced);
        all.addAll(volumes);
        return all;
    }

    private static ResourceDefinitionContext kubevirt(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    private static ResourceDefinitionContext core(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
