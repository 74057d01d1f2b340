package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dk.sdu.cloud.im.simulator.Fixtures.claim;
import static dk.sdu.cloud.im.simulator.Fixtures.ownedBy;
import static dk.sdu.cloud.im.simulator.Fixtures.vm;
import static dk.sdu.cloud.im.simulator.Fixtures.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static dk.sdu.cloud.im.simulator.Awaits.await;

class KubeVirtSimulatorTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    static EmbeddedKubernetes embedded;
    static KubernetesClient client;

    String ns;
    KubeVirtSimulator simulator;
    final List<SimulatorEvent> events = new CopyOnWriteArrayList<>();

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
        ns = "sim-" + NAMESPACES.incrementAndGet();
        simulator = KubeVirtSimulator.start(embedded.newClient(), ns);
        simulator.addListener(events::add);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    GenericKubernetesResource createVm(String name, String runStrategy, String... claims) {
        return client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns)
                .resource(vm(ns, name, runStrategy, claims)).create();
    }

    GenericKubernetesResource vmNamed(String name) {
        return client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName(name).get();
    }

    GenericKubernetesResource vmiNamed(String name) {
        return client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns).withName(name).get();
    }

    void setRunStrategy(String name, String runStrategy) {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"" + runStrategy + "\"}}");
    }

    static String volumePhase(String name) {
        PersistentVolume volume = client.persistentVolumes().withName(name).get();
        return volume == null || volume.getStatus() == null ? null : volume.getStatus().getPhase();
    }

    String claimPhase(String name) {
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
        return claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
    }

    static String printableStatus(GenericKubernetesResource vm) {
        return vm == null ? null : Generic.string(vm, "status", "printableStatus");
    }

    void awaitStatus(String vmName, String printableStatus) {
        await().until(() -> printableStatus(vmNamed(vmName)), printableStatus::equals);
    }

    @Test
    void aVmThatShouldRunGetsARunningReadyInstance() {
        GenericKubernetesResource vm = createVm("vm-1-0", "Always");

        awaitStatus("vm-1-0", "Running");
        GenericKubernetesResource running = vmNamed("vm-1-0");
        assertThat(Generic.isTrue(running, "status", "ready")).isTrue();
        assertThat(Generic.isTrue(running, "status", "created")).isTrue();
        GenericKubernetesResource vmi = vmiNamed("vm-1-0");
        assertThat(vmi.getMetadata().getLabels()).containsEntry("ucloud.dk/jobId", "vm-1-0").containsEntry("ucloud.dk/rank", "0");
        assertThat(vmi.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getUid()).isEqualTo(vm.getMetadata().getUid());
            assertThat(owner.getKind()).isEqualTo("VirtualMachine");
        });
        assertThat(Generic.string(vmi, "status", "phase")).isEqualTo("Running");
        assertThat(Generic.listOfMaps(vmi, "status", "conditions"))
                .anySatisfy(c -> assertThat(c).containsEntry("type", "Ready").containsEntry("status", "True"));
        assertThat(Generic.string(vmi, "status", "nodeName")).isEqualTo(VirtController.NODE_NAME);
        assertThat(events).extracting(SimulatorEvent::type).containsSubsequence(
                SimulatorEvent.Type.VM_STARTING, SimulatorEvent.Type.VMI_CREATED, SimulatorEvent.Type.VM_RUNNING);
        // The VMI is selectable by the job label, as the plugin's informer selects it.
        assertThat(client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns)
                .withLabel("ucloud.dk/jobId").list().getItems()).hasSize(1);
    }

    @Test
    void haltingStopsTheVmAndStartingAgainRunsIt() {
        createVm("vm-2-0", "Always");
        awaitStatus("vm-2-0", "Running");

        setRunStrategy("vm-2-0", "Halted");
        awaitStatus("vm-2-0", "Stopped");
        assertThat(vmiNamed("vm-2-0")).isNull();
        assertThat(Generic.isTrue(vmNamed("vm-2-0"), "status", "ready")).isFalse();

        setRunStrategy("vm-2-0", "Always");
        awaitStatus("vm-2-0", "Running");
        assertThat(vmiNamed("vm-2-0")).isNotNull();
    }

    @Test
    void aHaltedVmNeverRuns() {
        createVm("vm-3-0", "Halted");
        awaitStatus("vm-3-0", "Stopped");
        await().until(simulator::isIdle);
        assertThat(vmiNamed("vm-3-0")).isNull();
        assertThat(events).extracting(SimulatorEvent::type).doesNotContain(SimulatorEvent.Type.VMI_CREATED);
    }

    @Test
    void aManualVmFollowsStartAndStopRequests() {
        createVm("vm-4-0", "Manual");
        awaitStatus("vm-4-0", "Stopped");

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-4-0").status()
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/status/stateChangeRequests\","
                        + "\"value\":[{\"action\":\"Start\"}]}]");
        awaitStatus("vm-4-0", "Running");
        assertThat(vmNamed("vm-4-0").<Object>get("status", "stateChangeRequests")).isNull();

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-4-0").status()
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/status/stateChangeRequests\","
                        + "\"value\":[{\"action\":\"Stop\"}]}]");
        awaitStatus("vm-4-0", "Stopped");
        assertThat(vmiNamed("vm-4-0")).isNull();
    }

    @Test
    void deletingAVmCollectsWhatItOwnsAndNothingElse() {
        GenericKubernetesResource vm = createVm("vm-5-0", "Always");
        GenericKubernetesResource other = createVm("vm-6-0", "Halted");
        client.resource(new SecretBuilder().withNewMetadata().withName("vm-5-0-cloud-init").withNamespace(ns)
                .withOwnerReferences(ownedBy(vm)).endMetadata().addToStringData("userdata", "x").build()).create();
        client.resource(new ServiceBuilder().withNewMetadata().withName("j-5").withNamespace(ns)
                .withOwnerReferences(ownedBy(vm)).endMetadata().withNewSpec().addNewPort().withPort(4).endPort().endSpec()
                .build()).create();
        client.resource(new NetworkPolicyBuilder().withNewMetadata().withName("policy-5").withNamespace(ns)
                .withOwnerReferences(ownedBy(vm)).endMetadata().build()).create();
        client.resource(claim(ns, "vm-5-0", "pv-sim-5", ownedBy(vm))).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("of-the-other").withNamespace(ns)
                .withOwnerReferences(ownedBy(other)).endMetadata().build()).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("of-nobody").withNamespace(ns)
                .endMetadata().build()).create();
        awaitStatus("vm-5-0", "Running");

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-5-0").delete();

        await().until(() -> client.secrets().inNamespace(ns).withName("vm-5-0-cloud-init").get() == null
                && client.services().inNamespace(ns).withName("j-5").get() == null
                && client.network().networkPolicies().inNamespace(ns).withName("policy-5").get() == null
                && client.persistentVolumeClaims().inNamespace(ns).withName("vm-5-0").get() == null
                && vmiNamed("vm-5-0") == null);
        await().until(simulator::isIdle);
        assertThat(client.configMaps().inNamespace(ns).withName("of-the-other").get()).isNotNull();
        assertThat(client.configMaps().inNamespace(ns).withName("of-nobody").get()).isNotNull();
        assertThat(events).filteredOn(e -> e.type() == SimulatorEvent.Type.GARBAGE_COLLECTED)
                .extracting(SimulatorEvent::kind)
                .containsExactlyInAnyOrder("Secret", "Service", "NetworkPolicy", "PersistentVolumeClaim",
                        "VirtualMachineInstance");
    }

    @Test
    void anObjectCreatedForAVmThatIsGoneIsCollected() {
        GenericKubernetesResource vm = createVm("vm-7-0", "Halted");
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-7-0").delete();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("late").withNamespace(ns)
                .withOwnerReferences(ownedBy(vm)).endMetadata().build()).create();
        await().until(() -> client.configMaps().inNamespace(ns).withName("late").get() == null);

        // A VM of the same name made again has another uid: objects of the old one are still orphans.
        GenericKubernetesResource again = createVm("vm-7-0", "Halted");
        assertThat(again.getMetadata().getUid()).isNotEqualTo(vm.getMetadata().getUid());
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("of-the-old-one").withNamespace(ns)
                .withOwnerReferences(ownedBy(vm)).endMetadata().build()).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("of-the-new-one").withNamespace(ns)
                .withOwnerReferences(ownedBy(again)).endMetadata().build()).create();
        await().until(() -> client.configMaps().inNamespace(ns).withName("of-the-old-one").get() == null);
        await().until(simulator::isIdle);
        assertThat(client.configMaps().inNamespace(ns).withName("of-the-new-one").get()).isNotNull();
    }

    @Test
    void claimsBindToTheirVolumesAndReleaseThemWhenDeleted() {
        String pv = ns + "-disk";
        client.resource(volume(pv, "Retain")).create();
        client.resource(claim(ns, "disk", pv)).create();
        // The claim's status is written last: once it says Bound, the volume does too.
        await().until(() -> claimPhase("disk"), "Bound"::equals);
        PersistentVolumeClaim bound = client.persistentVolumeClaims().inNamespace(ns).withName("disk").get();
        assertThat(volumePhase(pv)).isEqualTo("Bound");
        PersistentVolume volume = client.persistentVolumes().withName(pv).get();
        assertThat(volume.getSpec().getClaimRef().getUid()).isEqualTo(bound.getMetadata().getUid());

        client.persistentVolumeClaims().inNamespace(ns).withName("disk").delete();
        await().until(() -> "Released".equals(volumePhase(pv)));

        // A Released volume keeps its claimRef: a new claim of the same name does not get it.
        client.resource(claim(ns, "disk", pv)).create();
        await().until(() -> client.persistentVolumeClaims().inNamespace(ns).withName("disk").get().getStatus() != null);
        await().until(simulator::isIdle);
        assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("disk").get().getStatus().getPhase())
                .isEqualTo("Pending");
        assertThat(client.persistentVolumes().withName(pv).get().getStatus().getPhase()).isEqualTo("Released");
    }

    @Test
    void aReleasedVolumeWhoseClaimRefIsRemovedIsAvailableAndBindsAgain() {
        String pv = ns + "-again";
        client.resource(volume(pv, "Retain")).create();
        await().until(() -> "Available".equals(volumePhase(pv)));
        client.resource(claim(ns, "again", pv)).create();
        await().until(() -> "Bound".equals(volumePhase(pv)));
        client.persistentVolumeClaims().inNamespace(ns).withName("again").delete();
        await().until(() -> "Released".equals(volumePhase(pv)));
        client.resource(claim(ns, "again", pv)).create();

        client.persistentVolumes().withName(pv).edit(v -> {
            v.getSpec().setClaimRef(null);
            return v;
        });

        await().until(() -> claimPhase("again"), "Bound"::equals);
        assertThat(volumePhase(pv)).isEqualTo("Bound");
    }

    @Test
    void aDeleteVolumeGoesWithItsClaim() {
        String pv = ns + "-scratch";
        client.resource(volume(pv, "Delete")).create();
        client.resource(claim(ns, "scratch", pv)).create();
        await().until(() -> "Bound".equals(volumePhase(pv)));
        client.persistentVolumeClaims().inNamespace(ns).withName("scratch").delete();
        await().until(() -> client.persistentVolumes().withName(pv).get() == null);
    }

    @Test
    void aVmWaitsForItsClaimsAndThenRuns() {
        String pv = ns + "-vm-8-0";
        createVm("vm-8-0", "Always", "vm-8-0");
        awaitStatus("vm-8-0", "ErrorPvcNotFound");
        client.resource(claim(ns, "vm-8-0", pv)).create();
        awaitStatus("vm-8-0", "WaitingForVolumeBinding");
        assertThat(vmiNamed("vm-8-0")).isNull();
        client.resource(volume(pv, "Retain")).create();
        awaitStatus("vm-8-0", "Running");
    }

    @Test
    void aRerunOnFailureVmSwitchedOnFromHaltedStartsOnceItsClaimBinds() {
        String pv = ns + "-vm-20-0";
        createVm("vm-20-0", "Halted", "vm-20-0");
        awaitStatus("vm-20-0", "Stopped");
        // As after an earlier run: the controller last acted on Halted.
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-20-0").status()
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/status/runStrategy\","
                        + "\"value\":\"Halted\"}]");
        setRunStrategy("vm-20-0", "RerunOnFailure");
        awaitStatus("vm-20-0", "ErrorPvcNotFound");
        // Waiting for its volume is no start: the switch is still owed one.
        assertThat(Generic.string(vmNamed("vm-20-0"), "status", "runStrategy")).isEqualTo("Halted");

        client.resource(claim(ns, "vm-20-0", pv)).create();
        client.resource(volume(pv, "Retain")).create();
        awaitStatus("vm-20-0", "Running");
        assertThat(Generic.string(vmNamed("vm-20-0"), "status", "runStrategy")).isEqualTo("RerunOnFailure");
    }

    @Test
    void aFailedStartShowsItsStatusUntilTheVmIsHalted() {
        simulator.failNextStart("vm-9-0", "ErrorUnschedulable");
        createVm("vm-9-0", "Always");
        awaitStatus("vm-9-0", "ErrorUnschedulable");
        await().until(simulator::isIdle);
        GenericKubernetesResource failed = vmNamed("vm-9-0");
        assertThat(vmiNamed("vm-9-0")).isNull();
        assertThat(Generic.isTrue(failed, "status", "ready")).isFalse();
        assertThat(Generic.listOfMaps(failed, "status", "conditions")).anySatisfy(c -> assertThat(c)
                .containsEntry("type", "Failure").containsEntry("reason", "ErrorUnschedulable")
                .containsEntry("message", "0/1 nodes are available: 1 Insufficient memory."));

        setRunStrategy("vm-9-0", "Halted");
        awaitStatus("vm-9-0", "Stopped");
        setRunStrategy("vm-9-0", "Always");
        awaitStatus("vm-9-0", "Running");
    }

    @Test
    void aFailureAskedForARunningVmWaitsForItsNextStart() {
        createVm("vm-10-0", "Always");
        awaitStatus("vm-10-0", "Running");
        simulator.failNextStart("vm-10-0", "DataVolumeError");
        await().until(simulator::isIdle);
        assertThat(printableStatus(vmNamed("vm-10-0"))).isEqualTo("Running");

        setRunStrategy("vm-10-0", "Halted");
        awaitStatus("vm-10-0", "Stopped");
        setRunStrategy("vm-10-0", "Always");
        awaitStatus("vm-10-0", "DataVolumeError");

        simulator.recover("vm-10-0");
        awaitStatus("vm-10-0", "Running");
    }

    @Test
    void aCrashLoopTakesARunningVmDownWithBackOff() {
        createVm("vm-11-0", "Always");
        awaitStatus("vm-11-0", "Running");
        simulator.crashLoop("vm-11-0");
        awaitStatus("vm-11-0", "CrashLoopBackOff");
        GenericKubernetesResource crashing = vmNamed("vm-11-0");
        assertThat(vmiNamed("vm-11-0")).isNull();
        assertThat(Generic.map(crashing, "status", "startFailure"))
                .containsEntry("consecutiveFailCount", 3).containsKey("retryAfterTimestamp");
        simulator.recover("vm-11-0");
        awaitStatus("vm-11-0", "Running");
    }

    @Test
    void anUnknownFailureStatusIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> simulator.failNextStart("vm-x-0", "Running"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Running");
    }

    @Test
    void aRestartedSimulatorCarriesOnFromTheCluster() {
        GenericKubernetesResource gone = createVm("vm-12-0", "Always");
        awaitStatus("vm-12-0", "Running");
        simulator.close();

        createVm("vm-13-0", "Always");
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("of-12").withNamespace(ns)
                .withOwnerReferences(ownedBy(gone)).endMetadata().build()).create();
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-12-0").delete();

        simulator = KubeVirtSimulator.start(embedded.newClient(), ns);
        awaitStatus("vm-13-0", "Running");
        await().until(() -> vmiNamed("vm-12-0") == null
                && client.configMaps().inNamespace(ns).withName("of-12").get() == null);
    }

    @Test
    void itSettles() {
        createVm("vm-14-0", "Always");
        awaitStatus("vm-14-0", "Running");
        await().until(simulator::isIdle);
        String version = vmNamed("vm-14-0").getMetadata().getResourceVersion();
        // Its own status writes do not set it off again.
        await().during(java.time.Duration.ofMillis(300)).until(() -> version.equals(vmNamed("vm-14-0").getMetadata().getResourceVersion()));
    }

    @Test
    void itActsOnlyInItsNamespace() {
        String elsewhere = ns + "-elsewhere";
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(elsewhere)
                .resource(vm(elsewhere, "vm-15-0", "Always")).create();
        createVm("vm-16-0", "Always");
        awaitStatus("vm-16-0", "Running");
        await().until(simulator::isIdle);
        assertThat(client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(elsewhere).withName("vm-15-0")
                .get().<Object>get("status")).isNull();
    }
}
