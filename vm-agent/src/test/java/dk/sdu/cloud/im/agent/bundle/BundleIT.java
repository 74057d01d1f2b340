package dk.sdu.cloud.im.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sdu.cloud.im.agent.FakeIm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built bundle (target/vm-agent-bundle) on its own jlink'ed runtime: the launcher starts, and the agent in
 * a simulated guest does its whole job against a fake IM, PTY (pty4j, JNA) included. Runs after package.
 */
class BundleIT {
    private static final Path BUNDLE = Path.of(System.getProperty("agent.bundle.dir", "target/vm-agent-bundle"));

    @TempDir
    Path temp;

    private Process agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.destroyForcibly();
            System.out.println("agent log:\n" + log());
        }
    }

    private static ProcessResult launch(String... args) throws Exception {
        var command = new ArrayList<>(List.of(BUNDLE.resolve("vmagent").toString()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(FakeIm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(process.exitValue(), output);
    }

    private record ProcessResult(int exitCode, String output) {
    }

    @Test
    void theLauncherRunsTheAgentOnTheBundledRuntime() throws Exception {
        assertThat(Files.isExecutable(BUNDLE.resolve("vmagent"))).isTrue();
        var version = launch("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.output()).startsWith("vmagent 0.");
        var help = launch("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("--simulated-guest <root>");
        assertThat(launch("--bogus").exitCode()).isEqualTo(2);
    }

    @Test
    void theBundledMetricsServiceWritesSamplesThatTheDumpReads() throws Exception {
        var root = Files.createDirectories(temp.resolve("guest"));
        var work = Files.createDirectories(temp.resolve("job/work"));
        var metrics = new ProcessBuilder(BUNDLE.resolve("vmagent").toString(), "metrics", "--simulated-guest",
                root.toString(), "--work-folder", work.toString()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("metrics.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + FakeIm.PATIENCE.toNanos();
            ProcessResult dump = launch("metrics", "--dump", work.toString());
            // Waits (generously) for the condition: three samples, at 4 a second.
            while (!dump.output().contains("sample 3:") && System.nanoTime() < deadline && metrics.isAlive()) {
                Thread.sleep(100);
                dump = launch("metrics", "--dump", work.toString());
            }
            assertThat(dump.output()).contains("256 slots of 64 columns", "sample 3:", "summary:\nOperatingSystem:");
            assertThat(dump.exitCode()).isZero();
        } finally {
            metrics.destroy();
            System.out.println("metrics log:\n" + Files.readString(temp.resolve("metrics.log")));
        }
        assertThat(metrics.waitFor(FakeIm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theRuntimeHoldsOnlyTheModulesTheAgentNeeds() throws Exception {
        var process = new ProcessBuilder(BUNDLE.resolve("vmagent.d/runtime/bin/java").toString(), "--list-modules")
                .redirectErrorStream(true).start();
        var modules = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(line -> line.replaceAll("@.*", "")).toList();
        assertThat(modules).containsExactlyInAnyOrder("java.base", "java.logging", "java.net.http", "java.xml", "jdk.crypto.ec", "jdk.unsupported");
    }

    @Test
    void theBundledAgentInASimulatedGuest_mountsReportsKeysShellAndUpdate() throws Exception {
        try (var im = new FakeIm()) {
            var root = Files.createDirectories(temp.resolve("guest"));
            var host = Files.createDirectories(temp.resolve("host/Data"));
            Files.writeString(host.resolve("hello.txt"), "from the host");
            write(root.resolve("etc/ucloud-agent/agent.json"), "{\"endpoint\": \"" + im.endpoint() + "\", \"jobId\": \"7\","
                    + " \"agentToken\": \"at\", \"serverToken\": \"st\", \"mountsFile\": \"/etc/ucloud/mounts.yml\"}");
            write(root.resolve("etc/ucloud-agent/simulated-tags.json"), "{\"ucloud-r0\": \"" + host + "\"}");
            write(root.resolve("etc/ucloud/mounts.yml"), "mounts:\n  - {tag: ucloud-r0, path: /work/Data, readOnly: false}\n");
            write(root.resolve("opt/ucloud/vmagent"), "#!/bin/sh\n");

            agent = new ProcessBuilder(BUNDLE.resolve("vmagent").toString(), "--simulated-guest", root.toString())
                    .redirectErrorStream(true).redirectOutput(temp.resolve("agent.log").toFile()).start();

            var control = im.nextControl();
            var hello = control.nextFrame();
            assertThat(hello.get("token").stringValue()).isEqualTo("at");
            control.send(Map.of("type", "welcome", "serverToken", "st"));
            var mounts = control.nextFrameOtherThanHeartbeat();
            assertThat(mounts.get("results").get(0).get("outcome").stringValue()).isEqualTo("mounted");

            control.send(Map.of("type", "sshKeys", "keys", List.of("ssh-ed25519 AAAAit it@test")));
            assertThat(control.nextFrameOtherThanHeartbeat().get("installed").intValue()).isEqualTo(1);
            assertThat(Files.readString(root.resolve("home/ucloud/.ssh/authorized_keys"))).contains("AAAAit it@test ucloud-managed-key");
            // The agent's own log lines (its stderr) came as a log frame right after the mounts report.
            assertThat(control.logLines()).anyMatch(line -> line.contains("connected to the IM at " + im.endpoint()));

            control.send(Map.of("type", "openTty", "token", "tt"));
            var tty = im.nextTty();
            assertThat(tty.nextFrame().get("token").stringValue()).isEqualTo("tt");
            tty.send(Map.of("type", "ready"));
            tty.send(Map.of("type", "initialize", "cols", 90, "rows", 30));
            tty.keys("cat Data/hello.txt; echo; stty size; echo HOME=$HOME\r");
            tty.outputUntil(text -> text.contains("from the host") && text.contains("30 90")
                    && text.contains("HOME=" + root.resolve("home/ucloud")));
            tty.keys("exit\r");
            assertThat(tty.awaitClose().status()).isEqualTo(1000);

            // A new launcher: the agent exits with 75 within one check (5 s).
            write(root.resolve("opt/ucloud/vmagent"), "#!/bin/sh\n# a newer agent\n");
            assertThat(agent.waitFor(FakeIm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(log()).isTrue();
            assertThat(agent.exitValue()).as(log()).isEqualTo(75);
            assertThat(log()).doesNotContain("\"at\"").doesNotContain("\"st\"");
        }
    }

    private String log() {
        try {
            return Files.readString(temp.resolve("agent.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
