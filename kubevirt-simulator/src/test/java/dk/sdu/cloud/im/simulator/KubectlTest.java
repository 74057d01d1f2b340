package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.testdata.Kubectl;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The real kubectl against the embedded API, through the kubeconfig it writes. */
class KubectlTest {
    private static final String NS = "ucloud-apps";

    @TempDir
    Path folder;

    private EmbeddedKubernetes api;
    private KubeVirtSimulator simulator;
    private KubernetesClient client;
    private Kubectl kubectl;

    @BeforeEach
    void start() throws IOException {
        api = EmbeddedKubernetes.start();
        simulator = KubeVirtSimulator.start(api.newSimulationClient(), NS);
        client = api.newClient();
        Path kubeconfig = folder.resolve("data/kubeconfig");
        api.writeKubeconfig(kubeconfig, NS);
        assertThat(Files.getPosixFilePermissions(kubeconfig)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        kubectl = new Kubectl(kubeconfig, Files.createDirectories(folder.resolve("kube-cache")));
    }

    @AfterEach
    void stop() {
        simulator.close();
        api.close();
    }

    @Test
    void apiResourcesListsTheKindsWithTheirShortNames() {
        String out = kubectl.ok("api-resources");

        assertThat(out).containsPattern("(?m)^virtualmachines +vm,vms +kubevirt\\.io/v1 +true +VirtualMachine$")
                .containsPattern("(?m)^virtualmachineinstances +vmi,vmis +kubevirt\\.io/v1 +true +VirtualMachineInstance$")
                .containsPattern("(?m)^persistentvolumeclaims +pvc +v1 +true +PersistentVolumeClaim$")
                .containsPattern("(?m)^persistentvolumes +pv +v1 +false +PersistentVolume$")
                .containsPattern("(?m)^services +svc +v1 +true +Service$")
                .containsPattern("(?m)^networkpolicies +netpol +networking\\.k8s\\.io/v1 +true +NetworkPolicy$")
                .containsPattern("(?m)^datavolumes +dv,dvs +cdi\\.kubevirt\\.io/v1beta1 +true +DataVolume$");
    }

    @Test
    void getDescribeAndYamlShowARunningVm() {
        client.resource(Fixtures.vm(NS, "vm-7-0", "Always")).create();
        GenericKubernetesResource vmi = awaitRunningInstance("vm-7-0", null);

        assertThat(kubectl.ok("get", "vm")).containsPattern("(?m)^vm-7-0 +\\S+");
        assertThat(kubectl.ok("get", "vm,vmi,pvc")).contains("virtualmachine.kubevirt.io/vm-7-0")
                .contains("virtualmachineinstance.kubevirt.io/vm-7-0");
        assertThat(kubectl.ok("get", "vmi", "vm-7-0", "-o", "yaml")).contains("uid: " + vmi.getMetadata().getUid())
                .contains("phase: Running");
        assertThat(kubectl.ok("get", "vm", "vm-7-0", "-o", "jsonpath={.status.printableStatus}")).isEqualTo("Running");
        assertThat(kubectl.ok("describe", "vm", "vm-7-0")).contains("Name:").contains("vm-7-0")
                .containsPattern("Printable Status: +Running");
        assertThat(kubectl.ok("get", "pods", "-l", "kubevirt.io=virt-launcher", "-o", "name"))
                .startsWith("pod/virt-launcher-vm-7-0-");
        // Built-in kinds are described by kubectl's typed describers (which ask for protobuf first).
        assertThat(kubectl.ok("describe", "pods", "-l", "kubevirt.io=virt-launcher"))
                .containsPattern("Name: +virt-launcher-vm-7-0-");
    }

    @Test
    void aDeletedInstanceOfAnAlwaysVmIsMadeAgainAsVirtControllerDoes() {
        client.resource(Fixtures.vm(NS, "vm-8-0", "Always")).create();
        String first = awaitRunningInstance("vm-8-0", null).getMetadata().getUid();

        assertThat(kubectl.ok("delete", "vmi", "vm-8-0")).contains("virtualmachineinstance.kubevirt.io \"vm-8-0\" deleted");

        awaitRunningInstance("vm-8-0", first);
    }

    @Test
    void aWatchShowsChangesAsTheyHappen() throws Exception {
        Process watch = kubectl.start("get", "vm", "--watch", "--output-watch-events");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                watch.getInputStream().transferTo(out);
            } catch (IOException e) {
                // ended
            }
        }, "kubectl-watch");
        reader.start();
        try {
            client.resource(Fixtures.vm(NS, "vm-9-0", "Halted")).create();
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8)
                    .matches("(?s).*\\bADDED +vm-9-0 .*"));
            client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(NS).withName("vm-9-0").delete();
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8)
                    .matches("(?s).*\\bDELETED +vm-9-0 .*"));
        } finally {
            watch.destroy();
            reader.join();
        }
    }

    @Test
    void applyCreatesAndChangesBuiltInAndCustomKindsAndDeleteRemoves() throws IOException {
        Path configMap = folder.resolve("cm.yaml");
        Files.writeString(configMap, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  a: b\n");
        Path vm = folder.resolve("vm.yaml");
        Files.writeString(vm, "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: vm-5-0\n"
                + "spec:\n  runStrategy: Halted\n  template:\n    spec: {}\n");

        // With kubectl's default validation: the OpenAPI documents say the server validates fields.
        assertThat(kubectl.ok("apply", "-f", configMap.toString())).contains("configmap/notes created");
        assertThat(kubectl.ok("apply", "-f", vm.toString())).contains("virtualmachine.kubevirt.io/vm-5-0 created");
        // A change: a strategic merge patch for the ConfigMap, a merge patch for the VM.
        Files.writeString(configMap, Files.readString(configMap).replace("a: b", "a: c"));
        Files.writeString(vm, Files.readString(vm).replace("Halted", "Always"));
        assertThat(kubectl.ok("apply", "-f", configMap.toString())).contains("configmap/notes configured");
        assertThat(kubectl.ok("apply", "-f", vm.toString())).contains("virtualmachine.kubevirt.io/vm-5-0 configured");

        assertThat(client.configMaps().inNamespace(NS).withName("notes").get().getData()).isEqualTo(Map.of("a", "c"));
        awaitRunningInstance("vm-5-0", null);
        assertThat(kubectl.ok("delete", "configmap", "notes")).contains("deleted");
        assertThat(client.configMaps().inNamespace(NS).withName("notes").get()).isNull();
        assertThat(kubectl.run("get", "vm", "nothing").err()).contains("NotFound");
    }

    private GenericKubernetesResource awaitRunningInstance(String name, String notUid) {
        return await().until(() -> client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(NS)
                .withName(name).get(), vmi -> vmi != null && !vmi.getMetadata().getUid().equals(notUid)
                && "Running".equals(Generic.string(vmi, "status", "phase")));
    }
}
