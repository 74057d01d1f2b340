package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/** An embedded API started over a state file finds its objects again, and the simulator carries on from them. */
class EmbeddedKubernetesPersistenceTest {

    private static final String NS = "apps";

    @TempDir
    Path folder;

    @Test
    void aRestartFindsEveryObjectAsItWasAndNewVersionsAreNewer() throws Exception {
        Path state = folder.resolve("objects.jsonl");
        GenericKubernetesResource vmBefore;
        String pvUid;
        String serviceUid;
        try (EmbeddedKubernetes api = EmbeddedKubernetes.start(state)) {
            KubernetesClient client = api.newClient();
            client.resource(Fixtures.vm(NS, "vm-1-0", "Halted")).create();
            pvUid = client.persistentVolumes().resource(Fixtures.volume("pv-1", "Retain")).create().getMetadata().getUid();
            serviceUid = client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata()
                    .withName("svc-1").endMetadata().build()).create().getMetadata().getUid();
            vmBefore = client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(NS).withName("vm-1-0").get();
            assertThat(api.flushState(Duration.ofSeconds(10))).isTrue();
        }

        try (EmbeddedKubernetes api = EmbeddedKubernetes.start(state)) {
            KubernetesClient client = api.newClient();
            GenericKubernetesResource vm = client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(NS)
                    .withName("vm-1-0").get();
            assertThat(vm.getMetadata().getUid()).isEqualTo(vmBefore.getMetadata().getUid());
            assertThat(vm.getMetadata().getResourceVersion()).isEqualTo(vmBefore.getMetadata().getResourceVersion());
            assertThat(vm.getMetadata().getCreationTimestamp()).isEqualTo(vmBefore.getMetadata().getCreationTimestamp());
            assertThat(vm.getAdditionalProperties().get("spec")).isEqualTo(vmBefore.getAdditionalProperties().get("spec"));
            assertThat(client.persistentVolumes().withName("pv-1").get().getMetadata().getUid()).isEqualTo(pvUid);
            assertThat(client.services().inNamespace(NS).withName("svc-1").get().getMetadata().getUid())
                    .isEqualTo(serviceUid);
            // Found by the label selectors and lists a client uses.
            assertThat(client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(NS)
                    .withLabel("app.kubernetes.io/managed-by", "ucloud-im").list().getItems()).hasSize(1);

            // What comes next is newer, with a uid of its own.
            GenericKubernetesResource second = client.resource(Fixtures.vm(NS, "vm-2-0", "Halted")).create();
            assertThat(Long.parseLong(second.getMetadata().getResourceVersion()))
                    .isGreaterThan(Long.parseLong(vm.getMetadata().getResourceVersion()));
            assertThat(second.getMetadata().getUid()).isNotIn(vm.getMetadata().getUid(), pvUid, serviceUid);
            // An update of a loaded object works with its stored resourceVersion.
            vm.getMetadata().setLabels(Map.of("seen", "again"));
            assertThat(client.resource(vm).update().getMetadata().getLabels()).containsEntry("seen", "again");
        }
        // The CRDs are the jar's, not the file's.
        assertThat(Files.readString(state)).doesNotContain("CustomResourceDefinition").contains("vm-2-0");
    }

    @Test
    void aDeletionIsKeptToo() throws Exception {
        Path state = folder.resolve("objects.jsonl");
        try (EmbeddedKubernetes api = EmbeddedKubernetes.start(state)) {
            KubernetesClient client = api.newClient();
            client.persistentVolumes().resource(Fixtures.volume("pv-1", "Retain")).create();
            client.persistentVolumes().resource(Fixtures.volume("pv-2", "Retain")).create();
            client.persistentVolumes().withName("pv-1").delete();
        }
        try (EmbeddedKubernetes api = EmbeddedKubernetes.start(state)) {
            assertThat(api.newClient().persistentVolumes().list().getItems()).extracting(pv -> pv.getMetadata().getName())
                    .containsExactly("pv-2");
        }
    }

    @Test
    void theSimulatorCarriesOnFromTheLoadedObjects() throws Exception {
        Path state = folder.resolve("objects.jsonl");
        String vmiUid;
        try (EmbeddedKubernetes api = EmbeddedKubernetes.start(state);
             KubeVirtSimulator simulator = KubeVirtSimulator.start(api.newSimulationClient(), NS)) {
            KubernetesClient client = api.newClient();
            client.resource(Fixtures.vm(NS, "vm-1-0", "Always")).create();
            vmiUid = await().until(() -> client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE)
                    .inNamespace(NS).withName("vm-1-0").get(), vmi -> vmi != null
                    && "Running".equals(Generic.string(vmi, "status", "phase"))).getMetadata().getUid();
            await().until(() -> client.pods().inNamespace(NS).withLabel("kubevirt.io", "virt-launcher").list()
                    .getItems().size() == 1);
            await().until(simulator::isIdle);
        }

        try (EmbeddedKubernetes api = EmbeddedKubernetes.start(state);
             KubeVirtSimulator simulator = KubeVirtSimulator.start(api.newSimulationClient(), NS)) {
            KubernetesClient client = api.newClient();
            GenericKubernetesResource vmi = client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE)
                    .inNamespace(NS).withName("vm-1-0").get();
            assertThat(vmi.getMetadata().getUid()).isEqualTo(vmiUid);
            assertThat(Generic.string(vmi, "status", "phase")).isEqualTo("Running");
            assertThat(client.pods().inNamespace(NS).withLabel("kubevirt.io", "virt-launcher").list().getItems())
                    .hasSize(1);

            // Halting the loaded VM: the simulator stops its loaded instance, as it would have before.
            client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(NS).withName("vm-1-0")
                    .edit(vm -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> spec = (Map<String, Object>) vm.getAdditionalProperties().get("spec");
                        spec.put("runStrategy", "Halted");
                        return vm;
                    });
            await().until(() -> client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(NS)
                    .withName("vm-1-0").get() == null);
            await().until(() -> "Stopped".equals(Generic.string(client.genericKubernetesResources(
                    Kinds.VIRTUAL_MACHINE).inNamespace(NS).withName("vm-1-0").get(), "status", "printableStatus")));
        }
    }

    @Test
    void anApiWithoutAStateFileHasNothingToFlush() throws Exception {
        try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
            assertThat(api.flushState(Duration.ofMillis(1))).isTrue();
            assertThat(List.of(folder.toFile().list())).isEmpty();
        }
    }
}
