package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.testing.Kubeconfigs;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.simulator.KubeVirtSimulator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The cluster of a run, in the chaos program's own JVM so that it outlives every IM it serves: the embedded
 * Kubernetes API, the KubeVirt simulator on it (with a client of its own), a kubeconfig for the IM, and a client
 * for looking at the objects; both clients are simulation clients, which injected faults never touch.
 */
final class ChaosCluster implements AutoCloseable {
    /** The label with the job id on every object of a VM job (the KubeVirt plugin's {@code VmJobLabels.JOB_ID}). */
    static final String JOB_ID_LABEL = "ucloud.dk/jobId";
    private static final ResourceDefinitionContext VMS = kubevirt("VirtualMachine", "virtualmachines");
    private static final ResourceDefinitionContext VMIS = kubevirt("VirtualMachineInstance", "virtualmachineinstances");

    private final EmbeddedKubernetes api;
    private final KubernetesClient simulatorClient;
    private final KubeVirtSimulator simulator;
    private final KubernetesClient observer;
    private final String namespace;

    private ChaosCluster(EmbeddedKubernetes api, String namespace) {
        this.api = api;
        this.namespace = namespace;
        // Clients that injected faults never touch: only the IM's requests fail (--fault-rate).
        this.simulatorClient = api.newSimulationClient();
        this.simulator = KubeVirtSimulator.start(simulatorClient, namespace);
        this.observer = api.newSimulationClient();
    }

    static ChaosCluster start(String namespace) {
        requireNonNull(namespace, "namespace is null");
        EmbeddedKubernetes api = EmbeddedKubernetes.start();
        try {
            return new ChaosCluster(api, namespace);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    EmbeddedKubernetes api() {
        return api;
    }

    String url() {
        return api.url();
    }

    /** Writes a kubeconfig whose current context is this API server. */
    Path writeKubeconfig(Path file) {
        return Kubeconfigs.write(file, api.url(), "chaos");
    }

    /**
     * An object of the jobs' kinds.
     *
     * @param kind        e.g. {@code VirtualMachine}
     * @param name        its name
     * @param jobId       its {@link #JOB_ID_LABEL}, or null
     * @param runStrategy a VM's {@code spec.runStrategy}, else null
     */
    record ClusterObject(String kind, String name, String jobId, String runStrategy) {
        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

    /**
     * Every object of the kinds a VM job has: VirtualMachines, VirtualMachineInstances, PersistentVolumes
     * (cluster-scoped), PersistentVolumeClaims, Secrets, Services, NetworkPolicies, read through a simulation
     * client (never faulted).
     */
    List<ClusterObject> objects() {
        List<ClusterObject> objects = new ArrayList<>();
        for (GenericKubernetesResource vm : observer.genericKubernetesResources(VMS).inNamespace(namespace).list().getItems()) {
            objects.add(new ClusterObject("VirtualMachine", vm.getMetadata().getName(), jobId(vm), runStrategy(vm)));
        }
        add(objects, "VirtualMachineInstance", observer.genericKubernetesResources(VMIS).inNamespace(namespace).list().getItems());
        add(objects, "PersistentVolume", observer.persistentVolumes().list().getItems());
        add(objects, "PersistentVolumeClaim", observer.persistentVolumeClaims().inNamespace(namespace).list().getItems());
        add(objects, "Secret", observer.secrets().inNamespace(namespace).list().getItems());
        add(objects, "Service", observer.services().inNamespace(namespace).list().getItems());
        add(objects, "NetworkPolicy", observer.network().networkPolicies().inNamespace(namespace).list().getItems());
        return objects;
    }

    @Override
    public void close() {
        try {
            simulator.close();
        } finally {
            observer.close();
            simulatorClient.close();
            api.close();
        }
    }

    private static <T extends HasMetadata> void add(List<ClusterObject> objects, String kind, List<T> items) {
        for (T item : items) {
            objects.add(new ClusterObject(kind, item.getMetadata().getName(), jobId(item), null));
        }
    }

    private static String jobId(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(JOB_ID_LABEL);
    }

    @SuppressWarnings("unchecked")
    private static String runStrategy(GenericKubernetesResource vm) {
        Object spec = vm.getAdditionalProperties().get("spec");
        Object strategy = spec instanceof Map<?, ?> map ? ((Map<String, Object>) map).get("runStrategy") : null;
        return strategy == null ? null : strategy.toString();
    }

    private static ResourceDefinitionContext kubevirt(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
