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
import java.util.concurrent.atomic.AtomicInteger;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static dk.sdu.cloud.im.simulator.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

/** Running instances that end, and what the run strategy makes of it (KubeVirt v1.9's virt-controller). */
class InstanceEndTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

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
        ns = "end-" + NAMESPACES.incrementAndGet();
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

    String uidOf(String vmiName) {
        GenericKubernetesResource vmi = vmi(vmiName);
        return vmi == null ? null : vmi.getMetadata().getUid();
    }

    List<Pod> launchers() {
        return client.pods().inNamespace(ns).withLabel("kubevirt.io", "virt-launcher").list().getItems();
    }

    String runningVm(String name, String runStrategy) {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns)
                .resource(vm(ns, name, runStrategy)).create();
        await().until(() -> vmi(name) != null && "Running".equals(Generic.string(vmNamed(name), "status",
                "printableStatus")));
        return uidOf(name);
    }

    @Test
    void eachInstanceHasALauncherPodLabelledAsKubeVirtLabelsIt() {
        String uid = runningVm("vm-1-0", "RerunOnFailure");
        await().until(() -> launchers().size() == 1);
        Pod pod = launchers().get(0);
        assertThat(pod.getMetadata().getName()).startsWith("virt-launcher-vm-1-0-");
        assertThat(pod.getMetadata().getLabels()).containsEntry("kubevirt.io/created-by", uid)
                .containsEntry("vm.kubevirt.io/name", "vm-1-0").containsEntry("ucloud.dk/jobId", "vm-1-0");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(Generic.string(vmNamed("vm-1-0"), "status", "runStrategy")).isEqualTo("RerunOnFailure");
    }

    @Test
    void aGuestPowerOffUnderRerunOnFailureStaysOff() {
        runningVm("vm-2-0", "RerunOnFailure");

        simulator.end("vm-2-0", InstanceEnd.POWER_OFF);

        await().until(() -> vmi("vm-2-0") == null);
        await().until(simulator::isIdle);
        assertThat(vmi("vm-2-0")).isNull();
        assertThat(launchers()).isEmpty();
        GenericKubernetesResource vm = vmNamed("vm-2-0");
        assertThat(Generic.string(vm, "status", "printableStatus")).isEqualTo("Stopped");
        assertThat(Generic.string(vm, "status", "runStrategy")).isEqualTo("RerunOnFailure");
        assertThat(Generic.listOfMaps(vm, "status", "stateChangeRequests")).isEmpty();

        // A switch to Halted and back (the plugin's suspend and unsuspend) starts it again.
        setRunStrategy("vm-2-0", "Halted");
        await().until(() -> "Halted".equals(Generic.string(vmNamed("vm-2-0"), "status", "runStrategy")));
        setRunStrategy("vm-2-0", "RerunOnFailure");
        await().until(() -> vmi("vm-2-0") != null);
    }

    @Test
    void aGuestPowerOffUnderAlwaysStartsANewInstance() {
        String first = runningVm("vm-3-0", "Always");
        simulator.end("vm-3-0", InstanceEnd.POWER_OFF);
        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> isAnother(uidOf("vm-3-0"), first));
    }

    @Test
    void anOomKillIsOnTheLauncherPodAndRerunOnFailureStartsANewInstance() {
        String first = runningVm("vm-4-0", "RerunOnFailure");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        simulator.addListener(event -> seen.add(event.type() + " " + event.detail()));

        simulator.end("vm-4-0", InstanceEnd.OOM_KILL);

        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> isAnother(uidOf("vm-4-0"), first));
        assertThat(seen).contains("VMI_ENDED OOM_KILL");
        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            List<Pod> pods = launchers();
            return pods.size() == 1 && pods.get(0).getMetadata().getLabels().get("kubevirt.io/created-by")
                    .equals(uidOf("vm-4-0"));
        });
    }

    @Test
    void theEndingsReadAsKubeVirtWritesThem() {
        assertEnding("vm-5-0", InstanceEnd.EVICTION, "Failed", null);
        assertEnding("vm-6-0", InstanceEnd.CRASH, "Failed", null);
        assertEnding("vm-7-0", InstanceEnd.NODE_LOSS, "Failed", "NodeUnresponsive");
    }

    /**
     * Ends a running VM and reads its VMI when the simulator says it ended (its listener runs on the
     * simulator's thread, before the deletion that follows). What the pods say is read by the plugin's tests.
     */
    void assertEnding(String name, InstanceEnd how, String phase, String vmiReason) {
        runningVm(name, "RerunOnFailure");
        List<GenericKubernetesResource> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
        simulator.addListener(event -> {
            if (event.type() == SimulatorEvent.Type.VMI_ENDED && event.name().equals(name)) {
                ended.add(vmi(name));
            }
        });
        simulator.end(name, how);
        await().until(() -> !ended.isEmpty());
        assertThat(Generic.string(ended.get(0), "status", "phase")).isEqualTo(phase);
        assertThat(Generic.string(ended.get(0), "status", "reason")).isEqualTo(vmiReason);
    }

    static boolean isAnother(String uid, String first) {
        return uid != null && !uid.equals(first);
    }

    void setRunStrategy(String name, String runStrategy) {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"" + runStrategy + "\"}}");
    }
}
