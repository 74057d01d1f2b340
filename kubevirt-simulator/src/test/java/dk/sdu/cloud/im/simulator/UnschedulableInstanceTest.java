package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static dk.sdu.cloud.im.simulator.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/** A start the scheduler finds no node for, as KubeVirt v1.9 shows it on the VMI, its pod and the VM. */
class UnschedulableInstanceTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String NO_ROOM = "0/3 nodes are available: 3 Insufficient memory.";

    static EmbeddedKubernetes embedded;
    static KubernetesClient client;

    String ns;
    KubeVirtSimulator simulator;

    @BeforeAll
    static void startServer() {
        embedded = EmbeddedKubernetes.start();
        client = embedded.newClient();
    }

    @AfterAll
    static void stopServer() {
        embedded.close();
    }

    @BeforeEach
    void startSimulator() {
        ns = "unsched-" + NAMESPACES.incrementAndGet();
        simulator = KubeVirtSimulator.start(embedded.newClient(), ns);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    GenericKubernetesResource vmi(String name) {
        return client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns).withName(name).get();
    }

    GenericKubernetesResource vmNamed(String name) {
        return client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName(name).get();
    }

    List<Pod> launchers() {
        return client.pods().inNamespace(ns).withLabel("kubevirt.io", "virt-launcher").list().getItems();
    }

    void createUnschedulable(String name) {
        simulator.unschedulable(name, NO_ROOM);
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns)
                .resource(vm(ns, name, "RerunOnFailure")).create();
        await().until(() -> "ErrorUnschedulable".equals(Generic.string(vmNamed(name), "status", "printableStatus"))
                && !launchers().isEmpty());
        await().until(simulator::isIdle);
    }

    static Map<String, Object> condition(List<Map<String, Object>> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
    }

    @Test
    void theInstanceStaysSchedulingItsPodPendingAndTheVmSaysWhyUntilItIsScheduled() {
        createUnschedulable("vm-1-0");

        GenericKubernetesResource vmi = vmi("vm-1-0");
        assertThat(Generic.string(vmi, "status", "phase")).isEqualTo("Scheduling");
        assertThat(Generic.string(vmi, "status", "nodeName")).isNull();
        assertThat(condition(Generic.listOfMaps(vmi, "status", "conditions"), "PodScheduled"))
                .containsEntry("status", "False").containsEntry("reason", "Unschedulable")
                .containsEntry("message", NO_ROOM);
        GenericKubernetesResource vm = vmNamed("vm-1-0");
        assertThat(condition(Generic.listOfMaps(vm, "status", "conditions"), "PodScheduled"))
                .containsEntry("status", "False").containsEntry("reason", "Unschedulable")
                .containsEntry("message", NO_ROOM);
        assertThat(condition(Generic.listOfMaps(vm, "status", "conditions"), "Failure")).isNull();
        assertThat((Object) vm.get("status", "created")).isEqualTo(true);
        assertThat((Object) vm.get("status", "ready")).isEqualTo(false);
        Pod pod = launchers().get(0);
        assertThat(launchers()).hasSize(1);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getSpec().getNodeName()).isNull();
        assertThat(pod.getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Unschedulable");
            assertThat(c.getMessage()).isEqualTo(NO_ROOM);
        });

        simulator.recover("vm-1-0");

        await().until(() -> "Running".equals(Generic.string(vmNamed("vm-1-0"), "status", "printableStatus")));
        assertThat(Generic.string(vmi("vm-1-0"), "status", "phase")).isEqualTo("Running");
        assertThat(Generic.string(vmi("vm-1-0"), "status", "nodeName")).isEqualTo(VirtController.NODE_NAME);
        assertThat(launchers()).singleElement().satisfies(running -> {
            assertThat(running.getStatus().getPhase()).isEqualTo("Running");
            assertThat(running.getSpec().getNodeName()).isEqualTo(VirtController.NODE_NAME);
        });
        assertThat(condition(Generic.listOfMaps(vmNamed("vm-1-0"), "status", "conditions"), "PodScheduled")).isNull();
    }

    @Test
    void haltingTheVmTakesThePendingInstanceAndPodAndForgetsThePlan() {
        createUnschedulable("vm-2-0");

        patchRunStrategy("vm-2-0", "Halted");
        await().until(() -> vmi("vm-2-0") == null && launchers().isEmpty()
                && "Stopped".equals(Generic.string(vmNamed("vm-2-0"), "status", "printableStatus")));

        patchRunStrategy("vm-2-0", "RerunOnFailure");
        await().until(() -> "Running".equals(Generic.string(vmNamed("vm-2-0"), "status", "printableStatus")));
        assertThat(Generic.string(vmi("vm-2-0"), "status", "phase")).isEqualTo("Running");
    }

    @Test
    void deletingTheVmTakesThePendingInstanceAndPod() {
        createUnschedulable("vm-3-0");

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-3-0").delete();

        await().until(() -> vmi("vm-3-0") == null && launchers().isEmpty());
    }

    void patchRunStrategy(String name, String strategy) {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"" + strategy + "\"}}");
    }
}
