package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.harness.settings.HarnessEmbeddedConfig;
import dk.sdu.cloud.im.harness.settings.HarnessKubernetesConfig;
import dk.sdu.cloud.im.harness.settings.KubernetesMode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Embedded mode's simulated guests as the host wires them: folders from the configuration and the host. */
class EmbeddedClusterGuestsTest {
    private static final ResourceDefinitionContext VMS = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    @TempDir
    Path temp;

    @Test
    void aRelativeLauncherIsUnderTheMountPointAndTheRootsInTheDataDirectory() {
        EmbeddedClusterGuests guests = EmbeddedClusterGuests.of(new HarnessEmbeddedConfig(true, "ucloud-exe/vmagent"),
                new HostFolders(Path.of("/var/lib/im"), Path.of("/mnt/ucloud")));

        assertThat(guests.agentLauncher()).isEqualTo(Path.of("/mnt/ucloud/ucloud-exe/vmagent"));
        assertThat(guests.rootsFolder()).isEqualTo(Path.of("/var/lib/im/embedded-guests"));
        assertThat(EmbeddedClusterGuests.of(new HarnessEmbeddedConfig(true, "/opt/agent/vmagent"),
                new HostFolders(Path.of("/var/lib/im"), Path.of("/mnt/ucloud"))).agentLauncher())
                .isEqualTo(Path.of("/opt/agent/vmagent"));
    }

    @Test
    void embeddedModeRunsTheProvidersAgentLauncherForARunningVmAndEndsItOnClose() throws IOException {
        Path data = temp.resolve("data");
        Path mountPoint = temp.resolve("fs");
        Path launcher = Files.createDirectories(mountPoint.resolve("ucloud-exe")).resolve("vmagent");
        Files.writeString(launcher, "#!/bin/sh\necho $$ > \"$2/launcher-pid\"\nexec sleep 3600\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        HarnessKubernetesConfig settings = new HarnessKubernetesConfig(KubernetesMode.EMBEDDED, Optional.empty(),
                Optional.empty(), new HarnessEmbeddedConfig(true, "ucloud-exe/vmagent"));

        Path pidFile = data.resolve("embedded-guests/ucloud-apps/vm-7-0/launcher-pid");
        long pid;
        try (ClusterConnection cluster = new StandardClusterConnector().connect(settings, temp, "ucloud-apps",
                new HostFolders(data, mountPoint))) {
            assertThat(((EmbeddedCluster) cluster).guests()).isPresent();
            cluster.access().client().genericKubernetesResources(VMS).inNamespace("ucloud-apps").resource(
                    new GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                            .withNewMetadata().withName("vm-7-0").withNamespace("ucloud-apps").endMetadata()
                            .addToAdditionalProperties("spec", Map.of("runStrategy", "Always", "template",
                                    Map.of("spec", Map.of("domain", Map.of("devices", Map.of())))))
                            .build()).create();

            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            pid = Long.parseLong(Files.readString(pidFile).trim());
            assertThat(ProcessHandle.of(pid)).isPresent();
        }

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void withoutGuestsNoRootIsMade() {
        HarnessKubernetesConfig settings = new HarnessKubernetesConfig(KubernetesMode.EMBEDDED, Optional.empty(),
                Optional.empty(), new HarnessEmbeddedConfig(false, "ucloud-exe/vmagent"));

        try (ClusterConnection cluster = new StandardClusterConnector().connect(settings, temp, "ucloud-apps",
                new HostFolders(temp.resolve("data"), temp.resolve("fs")))) {
            assertThat(((EmbeddedCluster) cluster).guests()).isEmpty();
        }
    }
}
