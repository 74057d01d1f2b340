package dk.sdu.cloud.im.kubevirt.manifest;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import static java.util.Objects.requireNonNull;

/**
 * Coordinates of the KubeVirt resources the backend uses ({@code kubevirt.io/v1}), and of the subresources it
 * reaches over websockets ({@code subresources.kubevirt.io/v1}).
 */
public final class KubeVirtApi {
    public static final String GROUP = "kubevirt.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String VIRTUAL_MACHINE_KIND = "VirtualMachine";
    public static final String VIRTUAL_MACHINE_PLURAL = "virtualmachines";
    public static final String VIRTUAL_MACHINE_INSTANCE_KIND = "VirtualMachineInstance";
    public static final String VIRTUAL_MACHINE_INSTANCE_PLURAL = "virtualmachineinstances";
    /** The API group of KubeVirt's subresources (console, VNC, pause, ...), served by virt-api. */
    public static final String SUBRESOURCES_GROUP = "subresources.kubevirt.io";
    /**
     * The websocket subprotocol of the console and VNC streams: a plain byte stream in binary frames both ways
     * (KubeVirt has no other; text frames are discarded by virt-handler).
     */
    public static final String STREAM_SUBPROTOCOL = "plain.kubevirt.io";
    /** The VirtualMachineInstance subresource with the guest's first serial port. */
    public static final String CONSOLE_SUBRESOURCE = "console";
    /** The VirtualMachineInstance subresource with the guest's screen, as a raw RFB stream. */
    public static final String VNC_SUBRESOURCE = "vnc";

    // Built once: a context is immutable, and the reconciler and the tracker look kinds up by it.
    private static final ResourceDefinitionContext VIRTUAL_MACHINES =
            context(VIRTUAL_MACHINE_KIND, VIRTUAL_MACHINE_PLURAL);
    private static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCES =
            context(VIRTUAL_MACHINE_INSTANCE_KIND, VIRTUAL_MACHINE_INSTANCE_PLURAL);

    private KubeVirtApi() {
    }

    /** For {@code client.genericKubernetesResources(...)} on VirtualMachines. */
    public static ResourceDefinitionContext virtualMachines() {
        return VIRTUAL_MACHINES;
    }

    /** For {@code client.genericKubernetesResources(...)} on VirtualMachineInstances. */
    public static ResourceDefinitionContext virtualMachineInstances() {
        return VIRTUAL_MACHINE_INSTANCES;
    }

    /**
     * The path, below the API server's URL, of a VirtualMachineInstance's serial console:
     * {@code /apis/subresources.kubevirt.io/v1/namespaces/<namespace>/virtualmachineinstances/<name>/console}.
     */
    public static String consolePath(String namespace, String vmiName) {
        return subresourcePath(namespace, vmiName, CONSOLE_SUBRESOURCE);
    }

    /**
     * The path, below the API server's URL, of a VirtualMachineInstance's screen:
     * {@code /apis/subresources.kubevirt.io/v1/namespaces/<namespace>/virtualmachineinstances/<name>/vnc}.
     */
    public static String vncPath(String namespace, String vmiName) {
        return subresourcePath(namespace, vmiName, VNC_SUBRESOURCE);
    }

    /** The path, below the API server's URL, of one of a VirtualMachineInstance's subresources. */
    public static String subresourcePath(String namespace, String vmiName, String subresource) {
        return "/apis/" + SUBRESOURCES_GROUP + "/" + VERSION + "/namespaces/" + requireNonNull(namespace, "namespace is null")
                + "/" + VIRTUAL_MACHINE_INSTANCE_PLURAL + "/" + requireNonNull(vmiName, "vmiName is null") + "/"
                + requireNonNull(subresource, "subresource is null");
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
