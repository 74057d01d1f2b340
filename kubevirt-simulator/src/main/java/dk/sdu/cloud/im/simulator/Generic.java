package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.util.List;
import java.util.Map;

/** Reading the untyped parts of {@link GenericKubernetesResource}s without casts all over the place. */
final class Generic {

    private Generic() {
    }

    static String string(GenericKubernetesResource resource, Object... path) {
        Object value = resource.get(path);
        return value == null ? null : value.toString();
    }

    static boolean isTrue(GenericKubernetesResource resource, Object... path) {
        return Boolean.TRUE.equals(resource.get(path));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(GenericKubernetesResource resource, Object... path) {
        Object value = resource.get(path);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> listOfMaps(GenericKubernetesResource resource, Object... path) {
        Object value = resource.get(path);
        return value instanceof List ? (List<Map<String, Object>>) value : List.of();
    }

    @SuppressWarnings("unchecked")
    static String string(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            if (!(value instanceof Map)) {
                return null;
            }
            value = ((Map<String, Object>) value).get(key);
        }
        return value == null ? null : value.toString();
    }

    /** The owner references that point at a KubeVirt VirtualMachine. */
    static List<OwnerReference> virtualMachineOwners(GenericKubernetesResource resource) {
        return resource.getMetadata().getOwnerReferences().stream()
                .filter(owner -> "VirtualMachine".equals(owner.getKind())
                        && owner.getApiVersion() != null && owner.getApiVersion().startsWith("kubevirt.io/"))
                .toList();
    }
}
