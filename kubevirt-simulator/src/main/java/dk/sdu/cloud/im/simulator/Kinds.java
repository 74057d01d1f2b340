package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;

/** The API coordinates the simulator works with, spelled out so that no request goes to discovery. */
final class Kinds {

    static final ResourceDefinitionContext VIRTUAL_MACHINE = namespaced("kubevirt.io", "v1", "VirtualMachine",
            "virtualmachines");
    static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCE = namespaced("kubevirt.io", "v1",
            "VirtualMachineInstance", "virtualmachineinstances");
    static final ResourceDefinitionContext DATA_VOLUME = namespaced("cdi.kubevirt.io", "v1beta1", "DataVolume",
            "datavolumes");
    static final ResourceDefinitionContext PERSISTENT_VOLUME_CLAIM = namespaced("", "v1", "PersistentVolumeClaim",
            "persistentvolumeclaims");
    /** The {@code virt-launcher} pods of VMIs (not informed: the simulator writes them, the plugin reads them). */
    static final ResourceDefinitionContext POD = namespaced("", "v1", "Pod", "pods");
    static final ResourceDefinitionContext PERSISTENT_VOLUME = new ResourceDefinitionContext.Builder()
            .withGroup("").withVersion("v1").withKind("PersistentVolume").withPlural("persistentvolumes")
            .withNamespaced(false).build();

    /**
     * The namespaced kinds whose objects the simulated garbage collector deletes when the VirtualMachine that
     * owns them is gone: what a VM job owns, and what KubeVirt's own objects are.
     */
    static final ResourceDefinitionContext SECRET = namespaced("", "v1", "Secret", "secrets");

    static final List<ResourceDefinitionContext> COLLECTED = List.of(
            VIRTUAL_MACHINE_INSTANCE,
            PERSISTENT_VOLUME_CLAIM,
            DATA_VOLUME,
            SECRET,
            namespaced("", "v1", "ConfigMap", "configmaps"),
            namespaced("", "v1", "Service", "services"),
            namespaced("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
            namespaced("networking.k8s.io", "v1", "Ingress", "ingresses"));

    static final String KUBEVIRT_API_VERSION = "kubevirt.io/v1";

    private Kinds() {
    }

    private static ResourceDefinitionContext namespaced(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
