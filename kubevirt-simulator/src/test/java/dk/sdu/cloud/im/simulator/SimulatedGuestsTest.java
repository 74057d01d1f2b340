package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static dk.sdu.cloud.im.simulator.Fixtures.claim;
import static org.assertj.core.api.Assertions.assertThat;

/** Guests of running VMIs: their roots, their agents (a test launcher here), and what ends them. */
class SimulatedGuestsTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    static final String AGENT_JSON = "{\"endpoint\":\"ws://127.0.0.1:42000/api/vmagent\",\"jobId\":\"42\","
            + "\"agentToken\":\"a-token\",\"serverToken\":\"s-token\",\"mountsFile\":\"/etc/ucloud/mounts.yml\"}\n";
    static final String MOUNTS_YML = "mounts:\n  - tag: \"ucloud-r0\"\n    path: \"/work/Data\"\n    readOnly: false\n";

    static EmbeddedKubernetes embedded;
    static KubernetesClient client;

    @TempDir
    Path temp;
    String ns;
    Path roots;
    Path launcher;
    Path configFolder;
    Path dataFolder;
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
    void folders() throws IOException {
        ns = "guests-" + NAMESPACES.incrementAndGet();
        roots = temp.resolve("guests");
        launcher = temp.resolve("exe/vmagent");
        configFolder = Files.createDirectories(temp.resolve("fs/jobs/42/config"));
        dataFolder = Files.createDirectories(temp.resolve("fs/collections/17/Data"));
        Files.writeString(configFolder.resolve("mounts.yml"), MOUNTS_YML);
    }

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    /**
     * A launcher that records its arguments and its pid in the guest root (its second argument), counts its
     * starts, exits with status 3 on the starts listed in {@code failOn}, and otherwise waits until ended. Run as
     * the metrics service ({@code metrics --simulated-guest <root> ...}) it records its arguments and pid apart.
     */
    void writeLauncher(String failOn) throws IOException {
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, """
                #!/bin/sh
                if [ "$1" = metrics ]; then echo "$@" > "$3/metrics-args"; echo $$ > "$3/metrics-pid"; exec sleep 3600; fi
                root="$2"
                echo "$@" > "$root/launcher-args"
                echo start >> "$root/launcher-starts"
                n=$(wc -l < "$root/launcher-starts")
                for f in %s; do [ "$n" = "$f" ] && exit 3; done
                echo $$ > "$root/launcher-pid"
                exec sleep 3600
                """.formatted(failOn));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    void startSimulator() {
        simulator = KubeVirtSimulator.start(embedded.newSimulationClient(), ns, Clock.systemUTC(),
                GuestSettings.of(roots, launcher).withRestartDelay(Duration.ofMillis(50)));
        simulator.addListener(events::add);
    }

    Path root(String name) {
        return roots.resolve(ns).resolve(name);
    }

    /** A job's objects as the plugin makes them: cloud-init Secret, config and data folders over HostPath. */
    void createJob(String name) {
        String userData = "#cloud-config\n" + "write_files:\n"
                + "- path: /etc/systemd/system/etc-ucloud.mount\n  permissions: '0644'\n  content: |\n"
                + "    [Mount]\n    What=ucloud-etc\n    Where=/etc/ucloud\n    Type=virtiofs\n"
                + "- path: /etc/ucloud-agent/agent.json\n  owner: ucloud:ucloud\n  permissions: '0600'\n  defer: true\n"
                + "  content: |\n    " + AGENT_JSON.trim() + "\n";
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name + "-cloudinit")
                .endMetadata().withData(Map.of("userdata",
                        Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))).build()).create();
        hostPathVolume(name + "-etc", configFolder);
        hostPathVolume(name + "-r0", dataFolder);
        // A volume the host cannot show as a folder: its tag is left out (the agent reports a failed mount).
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(ns + name + "-r1")
                .endMetadata().withNewSpec().withPersistentVolumeReclaimPolicy("Retain")
                .withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteMany")
                .withNewNfs().withServer("nfs.example.org").withPath("/r1").endNfs().endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(ns).resource(claim(ns, name + "-r1", ns + name + "-r1")).create();

        List<Map<String, Object>> volumes = new ArrayList<>();
        volumes.add(Map.of("name", "cloudinitdisk", "cloudInitNoCloud",
                Map.of("secretRef", Map.of("name", name + "-cloudinit"))));
        List<Map<String, Object>> filesystems = new ArrayList<>();
        for (String suffix : List.of("etc", "r0", "r1")) {
            volumes.add(Map.of("name", "ucloud-" + suffix, "persistentVolumeClaim", Map.of("claimName", name + "-" + suffix)));
            filesystems.add(Map.of("name", "ucloud-" + suffix, "virtiofs", Map.of()));
        }
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).resource(
                new GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                        .addToAdditionalProperties("spec", Map.of("runStrategy", "Always", "template", Map.of(
                                "metadata", Map.of("labels", Map.of("ucloud.dk/jobId", name)),
                                "spec", Map.of("domain", Map.of("devices", Map.of("filesystems", filesystems)),
                                        "volumes", volumes))))
                        .build()).create();
    }

    private void hostPathVolume(String claimName, Path folder) {
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(ns + claimName)
                .endMetadata().withNewSpec().withPersistentVolumeReclaimPolicy("Retain")
                .withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteMany")
                .withNewHostPath().withPath(folder.toString()).endHostPath().endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(ns).resource(claim(ns, claimName, ns + claimName)).create();
    }

    long launcherPid(String name) throws IOException {
        Path pid = root(name).resolve("launcher-pid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        return Long.parseLong(Files.readString(pid).trim());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    void setRunStrategy(String name, String runStrategy) {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"" + runStrategy + "\"}}");
    }

    long count(SimulatorEvent.Type type, String name) {
        return events.stream().filter(event -> event.type() == type && event.name().equals(name)).count();
    }

    @Test
    void aRunningVmiBootsItsGuestAndItsAgentAndAHaltEndsThem() throws IOException {
        writeLauncher("");
        startSimulator();
        createJob("vm-42-0");

        long pid = launcherPid("vm-42-0");
        Path root = root("vm-42-0");
        assertThat(Files.readString(root.resolve("launcher-args")).trim())
                .isEqualTo("--simulated-guest " + root.toAbsolutePath());
        Path agentJson = root.resolve("etc/ucloud-agent/agent.json");
        assertThat(Files.readString(agentJson)).isEqualTo(AGENT_JSON);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agentJson))).isEqualTo("rw-------");
        assertThat(Files.readString(root.resolve("etc/systemd/system/etc-ucloud.mount"))).contains("What=ucloud-etc");
        assertThat(Files.readString(root.resolve("etc/ucloud/mounts.yml"))).isEqualTo(MOUNTS_YML);
        JsonNode tags = JsonMapper.builder().build().readTree(root.resolve(GuestRoot.TAGS_FILE).toFile());
        assertThat(tags.propertyNames()).containsExactlyInAnyOrder("ucloud-etc", "ucloud-r0");
        assertThat(tags.path("ucloud-etc").asString()).isEqualTo(configFolder.toString());
        assertThat(tags.path("ucloud-r0").asString()).isEqualTo(dataFolder.toString());
        assertThat(root.resolve("work")).isDirectory();
        assertThat(root.resolve("home/ucloud")).isDirectory();
        assertThat(root.resolve(GuestRoot.AGENT_LOG)).exists();
        assertThat(simulator.guestAgentRunning("vm-42-0")).isTrue();
        Path metricsPid = root.resolve("metrics-pid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(metricsPid)
                && !Files.readString(metricsPid).isBlank());
        long metrics = Long.parseLong(Files.readString(metricsPid).trim());
        // The job has no /work mount here, so the service writes into the root's work/.
        assertThat(Files.readString(root.resolve("metrics-args")).trim())
                .isEqualTo("metrics --simulated-guest " + root.toAbsolutePath());

        setRunStrategy("vm-42-0", "Halted");

        await().atMost(Duration.ofSeconds(30)).until(() -> !alive(pid) && !alive(metrics) && !Files.exists(root));
        assertThat(count(SimulatorEvent.Type.GUEST_AGENT_STOPPED, "vm-42-0")).isEqualTo(1);
        assertThat(count(SimulatorEvent.Type.GUEST_AGENT_EXITED, "vm-42-0")).isZero();
    }

    @Test
    void aDeletedVmLosesItsGuest() throws IOException {
        writeLauncher("");
        startSimulator();
        createJob("vm-43-0");
        long pid = launcherPid("vm-43-0");

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-43-0").delete();

        await().atMost(Duration.ofSeconds(30)).until(() -> !alive(pid) && !Files.exists(root("vm-43-0")));
    }

    @Test
    void closingLeavesNoAgentRunningAndARestartedSimulatorStartsItAgain() throws IOException {
        writeLauncher("");
        startSimulator();
        createJob("vm-44-0");
        long first = launcherPid("vm-44-0");

        simulator.close();
        simulator = null;

        assertThat(alive(first)).isFalse();
        assertThat(root("vm-44-0")).isDirectory();          // the VMI still runs: its root stays
        Files.delete(root("vm-44-0").resolve("launcher-pid"));

        startSimulator();
        long second = launcherPid("vm-44-0");
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readAllLines(root("vm-44-0").resolve("launcher-starts"))).hasSize(2);
    }

    @Test
    void anAgentThatExitsIsStartedAgain() throws IOException {
        writeLauncher("1 2");
        startSimulator();
        createJob("vm-45-0");

        launcherPid("vm-45-0");         // only the third start writes it

        assertThat(Files.readAllLines(root("vm-45-0").resolve("launcher-starts"))).hasSize(3);
        assertThat(count(SimulatorEvent.Type.GUEST_AGENT_EXITED, "vm-45-0")).isEqualTo(2);
    }

    @Test
    void anAgentThatKeepsExitingIsGivenUpOn() throws IOException {
        writeLauncher("1 2 3 4 5");
        simulator = KubeVirtSimulator.start(embedded.newSimulationClient(), ns, Clock.systemUTC(),
                GuestSettings.of(roots, launcher).withRestartDelay(Duration.ZERO).withRestartLimit(2));
        simulator.addListener(events::add);
        createJob("vm-46-0");

        await().atMost(Duration.ofSeconds(30)).until(() -> count(SimulatorEvent.Type.GUEST_AGENT_GAVE_UP, "vm-46-0") == 1);
        assertThat(Files.readAllLines(root("vm-46-0").resolve("launcher-starts"))).hasSize(3);
        await().until(() -> !client.v1().events().inNamespace(ns).list().getItems().isEmpty());
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .anySatisfy(event -> assertThat(event.getReason()).isEqualTo("GuestAgentGaveUp"));
    }

    @Test
    void withoutALauncherTheGuestRunsWithoutItsAgentUntilTheLauncherAppears() throws IOException {
        startSimulator();
        createJob("vm-47-0");

        await().atMost(Duration.ofSeconds(30)).until(() -> count(SimulatorEvent.Type.GUEST_AGENT_MISSING, "vm-47-0") == 1);
        await().until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(event -> event.getReason().equals("GuestAgentLauncherMissing")
                        && event.getInvolvedObject().getName().equals("vm-47-0")));
        assertThat(simulator.guestAgentRunning("vm-47-0")).isFalse();
        assertThat(root("vm-47-0").resolve("etc/ucloud-agent/agent.json")).exists();

        writeLauncher("");

        launcherPid("vm-47-0");
        assertThat(count(SimulatorEvent.Type.GUEST_AGENT_MISSING, "vm-47-0")).isEqualTo(1);
    }

    @Test
    void rootsOfVmisThatWentWhileNoSimulatorRanAreRemoved() throws IOException {
        Path stale = Files.createDirectories(root("vm-gone-0").resolve("work"));
        startSimulator();

        await().until(() -> !Files.exists(stale.getParent()));
    }

}
