package dk.sdu.cloud.im.harness.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The objects a VM job can have in the cluster, listed kind by kind: VirtualMachines, VirtualMachineInstances,
 * PersistentVolumes (cluster-scoped; those named after a VM of the namespace's jobs, {@code vm-*}),
 * PersistentVolumeClaims, Secrets, Services and NetworkPolicies of the namespace.
 */
final class ClusterObjects {
    static final ResourceDefinitionContext VIRTUAL_MACHINES = kubevirt("VirtualMachine", "virtualmachines");
    static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCES =
            kubevirt("VirtualMachineInstance", "virtualmachineinstances");

    private final KubernetesClient client;
    private final String namespace;

    ClusterObjects(KubernetesClient client, String namespace) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** One object: its kind, its name and a few words on its state. */
    record Line(String kind, String name, String state) {
    }

    /** Every object, kind by kind, by name within a kind. */
    List<Line> list() {
        List<Line> lines = new ArrayList<>();
        add(lines, "VirtualMachine", client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(namespace).list().getItems(),
                vm -> join("runStrategy " + text(vm, "spec", "runStrategy"), text(vm, "status", "printableStatus")));
        add(lines, "VirtualMachineInstance", client.genericKubernetesResources(VIRTUAL_MACHINE_INSTANCES).inNamespace(namespace)
                .list().getItems(), vmi -> join("phase " + text(vmi, "status", "phase"), ""));
        add(lines, "PersistentVolume", client.persistentVolumes().list().getItems().stream()
                        .filter(pv -> pv.getMetadata().getName().startsWith("vm-")).toList(),
                pv -> pv.getStatus() == null ? "" : Objects.toString(pv.getStatus().getPhase(), ""));
        add(lines, "PersistentVolumeClaim", client.persistentVolumeClaims().inNamespace(namespace).list().getItems(),
                pvc -> pvc.getStatus() == null ? "" : Objects.toString(pvc.getStatus().getPhase(), ""));
        add(lines, "Secret", client.secrets().inNamespace(namespace).list().getItems(), secret -> "");
        add(lines, "Service", client.services().inNamespace(namespace).list().getItems(),
                service -> service.getSpec() == null || service.getSpec().getPorts() == null ? ""
                        : "ports " + service.getSpec().getPorts().stream().map(p -> Integer.toString(p.getPort())).toList());
        add(lines, "NetworkPolicy", client.network().networkPolicies().inNamespace(namespace).list().getItems(), np -> "");
        return lines;
    }

    /** The objects as an indented table, or a line saying there are none. */
    static String render(List<Line> lines) {
        if (lines.isEmpty()) {
            return "(no objects)";
        }
        int kind = lines.stream().mapToInt(l -> l.kind().length()).max().orElse(0);
        int name = lines.stream().mapToInt(l -> l.name().length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (Line line : lines) {
            text.append(pad(line.kind(), kind)).append("  ").append(pad(line.name(), name)).append("  ")
                    .append(line.state()).append('\n');
        }
        return text.toString().lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static <T extends HasMetadata> void add(List<Line> lines, String kind, List<T> objects,
                                                    Function<T, String> state) {
        objects.stream().sorted(Comparator.comparing(o -> o.getMetadata().getName()))
                .forEach(o -> lines.add(new Line(kind, o.getMetadata().getName(), state.apply(o))));
    }

    private static String text(GenericKubernetesResource resource, String section, String key) {
        Object part = resource.getAdditionalProperties().get(section);
        if (part instanceof Map<?, ?> map && map.get(key) != null) {
            return map.get(key).toString();
        }
        return "-";
    }

    private static String join(String first, String second) {
        return second.isEmpty() || second.equals("-") ? first : first + ", " + second;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static ResourceDefinitionContext kubevirt(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
