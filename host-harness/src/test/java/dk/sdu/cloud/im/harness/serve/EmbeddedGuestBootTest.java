package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.JOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Embedded mode boots the guest of a running VM job: the root holds what the KubeVirt plugin's cloud-init
 * and job folders give the guest, and the agent launcher (a stand-in script here) runs for as long as the VM
 * does, again after an IM restart.
 */
class EmbeddedGuestBootTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String ID = "5401";

    @TempDir
    Path temp;

    private EmbeddedImFixture fixture;
    private Path launcher;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new EmbeddedImFixture(temp.resolve("im"));
        launcher = Files.createDirectories(temp.resolve("agent")).resolve("vmagent");
        Files.writeString(launcher, "#!/bin/sh\necho \"$@\" > \"$2/launcher-args\"\necho $$ > \"$2/launcher-pid\"\n"
                + "exec sleep 3600\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void awaitState(ImServer server, JobState state) {
        await().atMost(STEP).untilAsserted(() -> assertThat(server.store().find(ID)).get()
                .extracting(s -> s.state()).isEqualTo(state));
    }

    private long launcherPid() {
        Path pid = fixture.guestRoot(ID).resolve("launcher-pid");
        await().atMost(STEP).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        try {
            return Long.parseLong(Files.readString(pid).trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aRunningJobsGuestGetsItsAgentConfigurationAndFoldersAndItsAgentRunsUntilTheJobEnds() throws IOException {
        Path root = fixture.guestRoot(ID);
        long first;
        try (ImServer server = fixture.startImWithGuests(launcher)) {
            HarnessClient client = fixture.client(server);
            client.post(JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(fixture.job(ID))));
            awaitState(server, JobState.RUNNING);

            first = launcherPid();
            assertThat(Files.readString(root.resolve("launcher-args")).trim())
                    .isEqualTo("--simulated-guest " + root.toAbsolutePath());
            JsonNode agent = ExampleJobs.JSON.readTree(root.resolve("etc/ucloud-agent/agent.json").toFile());
            assertThat(agent.path("jobId").asString()).isEqualTo(ID);
            // The fixture's endpoint names port 0: the guest is told the port the IM bound for it.
            assertThat(server.routePorts()).hasSize(1);
            assertThat(agent.path("endpoint").asString())
                    .isEqualTo("ws://127.0.0.1:" + server.routePorts().get(0) + "/api/vmagent");
            assertThat(agent.path("agentToken").asString()).isNotBlank();
            assertThat(agent.path("mountsFile").asString()).isEqualTo("/etc/ucloud/mounts.yml");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    root.resolve("etc/ucloud-agent/agent.json")))).isEqualTo("rw-------");
            JsonNode tags = ExampleJobs.JSON.readTree(root.resolve("etc/ucloud-agent/simulated-tags.json").toFile());
            assertThat(tags.propertyNames()).contains("ucloud-etc", "ucloud-work", "ucloud-opt");
            Path configFolder = Path.of(tags.path("ucloud-etc").asString());
            assertThat(configFolder).startsWith(fixture.fileSystem().toAbsolutePath());
            if (Files.exists(configFolder.resolve("mounts.yml"))) {
                assertThat(root.resolve("etc/ucloud/mounts.yml")).hasSameTextualContentAs(configFolder.resolve("mounts.yml"));
            }
            assertThat(root.resolve("work")).isDirectory();
        }
        assertThat(alive(first)).as("the agent ends with the IM").isFalse();

        Files.delete(root.resolve("launcher-pid"));
        try (ImServer second = fixture.startImWithGuests(launcher)) {
            long again = launcherPid();
            assertThat(again).as("a restarted IM starts the agent of the running VM again").isNotEqualTo(first);

            HarnessClient client = fixture.client(second);
            client.post(JOBS + "/terminate", ExampleJobs.JSON.readTree(ExampleJobs.bulk(fixture.job(ID))));
            awaitState(second, JobState.SUCCESS);
            await().atMost(STEP).until(() -> !alive(again) && !Files.exists(root));
        }
    }

}
