package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code virt-launcher} pod of each VMI, as virt-controller makes it: named
 * {@code virt-launcher-<vmi>-<5 characters>}, labelled as KubeVirt labels it ({@code kubevirt.io: virt-launcher},
 * {@code vm.kubevirt.io/name}, {@code kubevirt.io/created-by: <vmi uid>}, and the VMI's own labels), owned by
 * the VMI, with one container {@code compute}. Only its status matters here: running, pending while the
 * scheduler finds no node, or ended as an {@link InstanceEnd} leaves it. Runs on the work queue's thread only.
 */
final class LauncherPods {

    static final String COMPUTE = "compute";
    private static final String IMAGE = "quay.io/kubevirt/virt-launcher:v1.9.0";

    private final ClusterView cluster;
    private final Clock clock;

    LauncherPods(ClusterView cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
    }

    /** The pod's name: derived from the VMI's uid, so that each VMI has its own and it is found again. */
    static String nameOf(GenericKubernetesResource vmi) {
        String uid = vmi.getMetadata().getUid() == null ? "00000" : vmi.getMetadata().getUid().replace("-", "");
        return "virt-launcher-" + vmi.getMetadata().getName() + "-" + uid.substring(0, Math.min(5, uid.length()));
    }

    /** Creates the running launcher pod of a VMI just created. */
    void create(GenericKubernetesResource vmi, String nodeName) {
        create(vmi, Map.of("nodeName", nodeName,
                "containers", List.of(Map.of("name", COMPUTE, "image", IMAGE))), runningStatus());
    }

    /**
     * Creates the launcher pod of a VMI that the scheduler finds no node for: {@code Pending}, no node, its
     * {@code PodScheduled} condition {@code False} as {@code unschedulable} says, no container started.
     */
    void createPending(GenericKubernetesResource vmi, Map<String, Object> unschedulable) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Pending");
        status.put("conditions", List.of(unschedulable));
        create(vmi, Map.of("containers", List.of(Map.of("name", COMPUTE, "image", IMAGE))), status);
    }

    /** The scheduler bound a pending pod to a node: it runs there now. */
    void scheduled(GenericKubernetesResource vmi, String nodeName) {
        if (cluster.live(Kinds.POD, nameOf(vmi)) != null) {
            cluster.set(Kinds.POD, nameOf(vmi), "spec/nodeName", nodeName);
            cluster.set(Kinds.POD, nameOf(vmi), "status", runningStatus());
        }
    }

    private Map<String, Object> runningStatus() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Running");
        status.put("conditions", List.of(Map.of("type", "PodScheduled", "status", "True"),
                Map.of("type", "Ready", "status", "True")));
        status.put("containerStatuses", List.of(container(Map.of("running",
                Map.of("startedAt", clock.instant().toString())), true)));
        return status;
    }

    private void create(GenericKubernetesResource vmi, Map<String, Object> spec, Map<String, Object> status) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (vmi.getMetadata().getLabels() != null) {
            labels.putAll(vmi.getMetadata().getLabels());
        }
        labels.put("kubevirt.io", "virt-launcher");
        labels.put("vm.kubevirt.io/name", vmi.getMetadata().getName());
        labels.put("kubevirt.io/created-by", vmi.getMetadata().getUid());
        GenericKubernetesResource pod = new GenericKubernetesResourceBuilder()
                .withApiVersion("v1").withKind("Pod")
                .withNewMetadata().withName(nameOf(vmi)).withNamespace(cluster.namespace()).withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(Kinds.KUBEVIRT_API_VERSION)
                        .withKind("VirtualMachineInstance").withName(vmi.getMetadata().getName())
                        .withUid(vmi.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .addToAdditionalProperties("status", status)
                .build();
        try {
            cluster.create(Kinds.POD, pod);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** Writes the status the kubelet reports for a pod whose VMI ends this way; nothing for a lost node. */
    void ended(GenericKubernetesResource vmi, InstanceEnd how) {
        Map<String, Object> status = new LinkedHashMap<>();
        switch (how) {
            case POWER_OFF -> {
                status.put("phase", "Succeeded");
                status.put("containerStatuses", List.of(terminated("Completed", 0)));
            }
            case CRASH -> {
                status.put("phase", "Failed");
                status.put("containerStatuses", List.of(terminated("Error", 1)));
            }
            case OOM_KILL -> {
                status.put("phase", "Failed");
                status.put("containerStatuses", List.of(terminated("OOMKilled", 137)));
            }
            case EVICTION -> {
                status.put("phase", "Failed");
                status.put("reason", "Evicted");
                status.put("message", "The node was low on resource: memory. Threshold quantity: 100Mi, available: "
                        + "51200Ki. Container compute was using 2101248Ki, request is 2Gi, has larger consumption of "
                        + "memory.");
                status.put("containerStatuses", List.of(terminated("ContainerStatusUnknown", 137)));
            }
            case NODE_LOSS -> {
                return;   // the kubelet is gone with its node: nobody updates the pod
            }
        }
        status.put("conditions", List.of(Map.of("type", "PodScheduled", "status", "True"),
                Map.of("type", "Ready", "status", "False", "reason", "PodCompleted")));
        if (cluster.live(Kinds.POD, nameOf(vmi)) != null) {
            cluster.set(Kinds.POD, nameOf(vmi), "status", status);
        }
    }

    /** Deletes the launcher pod of a VMI that goes (its owner's garbage collection, done at once). */
    void delete(GenericKubernetesResource vmi) {
        cluster.delete(Kinds.POD, nameOf(vmi));
    }

    private Map<String, Object> terminated(String reason, int exitCode) {
        Map<String, Object> terminated = new LinkedHashMap<>();
        terminated.put("reason", reason);
        terminated.put("exitCode", exitCode);
        terminated.put("finishedAt", clock.instant().toString());
        return container(Map.of("terminated", terminated), false);
    }

    private static Map<String, Object> container(Map<String, Object> state, boolean ready) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", COMPUTE);
        container.put("ready", ready);
        container.put("state", state);
        return container;
    }
}
