package dk.sdu.cloud.im.kubevirt.manifest;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Coordinates of the KubeVirt resources the backend uses ({@code kubevirt.io/v1}). */
public final class KubeVirtApi {
    public static final String GROUP = "kubevirt.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String VIRTUAL_MACHINE_KIND = "VirtualMachine";
    public static final String VIRTUAL_MACHINE_PLURAL = "virtualmachines";
    public static final String VIRTUAL_MACHINE_INSTANCE_KIND = "VirtualMachineInstance";
    public static final String VIRTUAL_MACHINE_INSTANCE_PLURAL = "virtualmachineinstances";

    private KubeVirtApi() {
    }

    /** For {@code client.genericKubernetesResources(...)} on VirtualMachines. */
    public static ResourceDefinitionContext virtualMachines() {
        return context(VIRTUAL_MACHINE_KIND, VIRTUAL_MACHINE_PLURAL);
    }

    /** For {@code client.genericKubernetesResources(...)} on VirtualMachineInstances. */
    public static ResourceDefinitionContext virtualMachineInstances() {
        return context(VIRTUAL_MACHINE_INSTANCE_KIND, VIRTUAL_MACHINE_INSTANCE_PLURAL);
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(VERSION)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
