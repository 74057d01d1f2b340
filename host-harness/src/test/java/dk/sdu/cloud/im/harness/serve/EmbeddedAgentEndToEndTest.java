package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.ShellSession;
import dk.sdu.cloud.im.harness.demo.DemoFailure;
import dk.sdu.cloud.im.harness.demo.DemoShell;
import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.JOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A person uses the VM, end to end in embedded mode with the REAL guest agent (the bundle {@code vm-agent}
 * builds, named by the surefire property {@code im.test.agentBundle}): the KubeVirt plugin installs it into the
 * provider's {@code ucloud-exe}, the simulated guest runs it, it dials the IM's agent endpoint; shells go through
 * the provider API. One IM start (each agent is a JVM). The guests' launcher is a path the test creates only
 * later, so that the guest first has no agent (serial console), then gets it (the move to the agent).
 * Every wait is bounded only as a failure limit.
 */
class EmbeddedAgentEndToEndTest {
    private static final Duration STEP = Duration.ofSeconds(120);
    private static final String ID = "5601";
    /** The KubeVirt plugin's notices (docs/kubevirt-backend.md, Shell). */
    private static final String SERIAL_NOTICE =
            "Using the serial console: the VM's agent did not answer. You may need to press Enter.";
    private static final String CLEAR_SCREEN = "\u001b[2J\u001b[H";
    private static final String AGENT_NOTICE = "The VM's agent answered: this shell now runs through it.";
    private static final String MANAGED_KEY = " ucloud-managed-key";

    @TempDir
    Path temp;

    private EmbeddedImFixture fixture;

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aShellFallsBackToTheSerialConsoleMovesToTheAgentWhenItComesAndTheAgentKeepsKeysAndReportsFolders()
            throws IOException {
        Path bundle = Path.of(System.getProperty("im.test.agentBundle", "target/guest/vm-agent")).toAbsolutePath();
        assertThat(bundle.resolve("vmagent")).as("the unpacked agent bundle (im.test.agentBundle)").isExecutable();
        // The agent endpoint: a free loopback port (ServeConfigs), which the local agents dial.
        fixture = new EmbeddedImFixture(temp.resolve("im"), config -> config
                .setYaml("services.compute.virtualMachines.agentBundle", "'" + bundle + "'"));
        Path launcher = Files.createDirectories(temp.resolve("launcher")).resolve("vmagent");
        List<RecordedUpdate> updates = new CopyOnWriteArrayList<>();

        try (ImServer server = fixture.startImWithGuests(launcher)) {
            server.addUpdateListener(updates::add);
            HarnessClient client = fixture.client(server);
            client.post(JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(fixture.job(ID))));
            await().atMost(STEP).untilAsserted(() -> assertThat(server.store().find(ID)).get()
                    .extracting(s -> s.state()).isEqualTo(JobState.RUNNING));
            Path root = fixture.guestRoot(ID);
            await().atMost(STEP).until(() -> Files.isDirectory(root.resolve("work"))
                    && Files.exists(root.resolve("etc/ucloud-agent/agent.json")));
            // A folder the agent cannot mount: its mount point in the guest is not empty.
            Path reference = Files.createDirectories(root.resolve("work/Reference"));
            Files.writeString(reference.resolve("in-the-way.txt"), "a file where the folder should be mounted\n");

            // The demo's shell step fails, naming its step, when the agent does not come.
            StringWriter demoOutput = new StringWriter();
            DemoShell demo = new DemoShell(client, ID, server.host().dataDirectory().resolve(ImHost.SSH_KEYS),
                    new PrintWriter(demoOutput), Duration.ofSeconds(8));
            assertThatThrownBy(demo::run).isInstanceOf(DemoFailure.class)
                    .hasMessageStartingWith("step 'shell: wait for the guest agent': the agent of job " + ID
                            + " did not connect");
            assertThat(demoOutput.toString()).contains(SERIAL_NOTICE);

            try (ShellSession shell = client.openShell(ID, 0, 80, 24)) {
                // No launcher, no agent: the serial console, said in one line.
                assertThat(shell.readSome(STEP)).startsWith(SERIAL_NOTICE + "\r\n");
                assertThat(printed(shell, "echo serial-$((6 * 7))")).isEqualTo("serial-42");

                // The agent comes (as the guest's path unit starts it once the launcher exists).
                installLauncher(launcher, fixture.fileSystem().resolve("ucloud-exe").resolve("vmagent"));
                shell.readUntil(CLEAR_SCREEN + AGENT_NOTICE + "\r\n", STEP);

                // The same shell now runs in the agent's PTY: the size follows a resize.
                List<String> who = printed(shell, "id -un; pwd").lines().toList();
                assertThat(who).hasSize(2);
                assertThat(who.get(0)).isEqualTo(System.getProperty("user.name"));
                assertThat(who.get(1)).endsWith("/work");
                shell.resize(100, 30);
                assertThat(printed(shell, "stty size")).isEqualTo("30 100");

                // The folder that could not be mounted is a status message of the job.
                await().atMost(STEP).until(() -> updates.stream().anyMatch(u -> u.jobId().equals(ID)
                        && u.statusMessage() != null
                        && u.statusMessage().startsWith("Folder /work/Reference could not be mounted: ")
                        && u.statusMessage().contains("not empty")));

                // An SSH key written for the job reaches the guest's authorized_keys while it runs.
                String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2eTestKeyOfTheEndToEndTestxxxxxxxxxxxxxxxx e2e@test";
                Path authorized = root.resolve("home/ucloud/.ssh/authorized_keys");
                writeAtomically(server.host().dataDirectory().resolve(ImHost.SSH_KEYS).resolve(ID + ".pub"), key + "\n");
                await().atMost(STEP).until(() -> Files.exists(authorized)
                        && Files.readAllLines(authorized).contains(key + MANAGED_KEY));
                // Without a restart: the same agent TTY still answers, with no fallback in between.
                assertThat(printed(shell, "echo still-$((1 + 1))")).isEqualTo("still-2");
                assertThat(shell.drain()).doesNotContain("serial console");
                assertThat(server.store().find(ID)).get().extracting(s -> s.state()).isEqualTo(JobState.RUNNING);
            }

            // With the agent connected, a new shell goes to its PTY at once, at the size asked for.
            try (ShellSession direct = client.openShell(ID, 0, 120, 40)) {
                assertThat(direct.readSome(STEP)).doesNotContain(SERIAL_NOTICE);
                assertThat(printed(direct, "stty size")).isEqualTo("40 120");
                direct.resize(90, 20);
                assertThat(printed(direct, "stty size")).isEqualTo("20 90");
            }
        }
    }

    /** What a command that must succeed printed, without the blank line ends around it. */
    private static String printed(ShellSession shell, String command) {
        ShellSession.CommandResult result = shell.run(command, STEP);
        assertThat(result.exitStatus()).as("exit status of %s (it printed %s)", command, result.output()).isZero();
        return result.output().strip();
    }

    /** A launcher that runs the installed one, made complete before it appears (as a package manager would). */
    private static void installLauncher(Path launcher, Path installed) throws IOException {
        Path temporary = Files.createTempFile(launcher.getParent(), ".vmagent", ".tmp");
        Files.writeString(temporary, "#!/bin/sh\nexec '" + installed.toAbsolutePath() + "' \"$@\"\n");
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(temporary, launcher, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".key", ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
