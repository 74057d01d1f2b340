package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ucloud-im demo}, the product's smoke test, in-process with the built plugins. */
class DemoCommandTest {
    @TempDir
    Path temp;

    @Test
    void theWholeLifecycleWorksAndIsToldStepByStep() {
        // The tests' installation has no agent bundle: the one vm-agent built (unpacked, im.test.agentBundle).
        CliRuns.Run run = run("demo", "--plugins", BuiltPlugins.copyTo(temp.resolve("plugins")).toString(),
                "--agent-bundle", System.getProperty("im.test.agentBundle", "target/guest/vm-agent"));

        assertThat(run.err()).as("stderr; stdout was:\n" + run.out()).isEmpty();
        assertThat(run.status()).isZero();
        String out = run.out();
        assertThat(out).contains("This is a SIMULATION")
                .containsPattern("\\[ *\\d+\\.\\d\\ds] image: served at http://127\\.0\\.0\\.1:\\d+/")
                .contains("submit: POST /ucloud/k8s/jobs (job 4242 (debian-vm 12 on u1-standard-4, disk 60 GiB))")
                .containsPattern("job 4242: +Downloading disk image")
                .containsPattern("job 4242: +Converting disk image")
                .containsPattern("job 4242: RUNNING ")
                .containsPattern("console: http://127\\.0\\.0\\.1:\\d+/console/4242\\?ticket=[A-Za-z0-9_-]{43}\\n")
                .containsPattern("job 4242: SUSPENDED")
                .containsPattern("job 4242: SUCCESS")
                .containsPattern("VirtualMachine +vm-4242-0 +runStrategy RerunOnFailure")
                // The boot stages, and a guest that powers itself off.
                .containsPattern("job 4242: +The guest is booting\\.")
                .containsPattern("job 4242: +The guest is up: its agent is connected")
                .containsPattern("job 4242: +The virtual machine is ready\\.")
                .containsPattern("job 4242: SUSPENDED +The guest powered itself off")
                .containsPattern("VirtualMachine +vm-4242-0 +runStrategy Halted")
                // Listed once the plugin halted the powered-off VM and its ended instance is gone.
                .containsPattern("objects after the guest's power-off, once the plugin halted the VM:\\n"
                        + " +VirtualMachine +vm-4242-0 +runStrategy Halted, Stopped\\n +(?!VirtualMachineInstance)\\S")
                .contains("(no objects)")
                // The shell through the guest agent (after the serial console, while the agent was starting).
                .containsPattern("shell: (it runs through the guest agent|it now runs through the guest agent)")
                .containsPattern("shell: \\$ id -un; pwd; ls -A   \\(exit status 0\\)\\n +"
                        + java.util.regex.Pattern.quote(System.getProperty("user.name")) + "\\n +/\\S+/work\\n +Data  Reference\\n")
                .containsPattern("ssh key: the guest agent put it into ~/.ssh/authorized_keys.*\\n +ssh-ed25519 \\S+ "
                        + "demo@ucloud-im ucloud-managed-key\\n")
                // The screen: the simulator's RFB server answers with its version line.
                .containsPattern("VNC: RFB 003\\.008\\n")
                // The follow stream: the agent's log line and a sample of the simulated guest's metrics service.
                .containsPattern("follow: the agent's first log line:\\n +\\S")
                .containsPattern("follow: a metrics sample \\(channel utilization-data\\):\\n +\\S")
                .containsPattern("OK: job 4242 went IN_QUEUE -> RUNNING -> SUSPENDED -> (IN_QUEUE -> )?RUNNING -> "
                        + "SUSPENDED -> SUCCESS\\n")
                .containsPattern("OK: the image was downloaded 1 time\\(s\\); no object is left");
        assertThat(out.indexOf("] shell: opening")).isGreaterThan(out.indexOf("RUNNING")).isLessThan(out.indexOf("] suspend: POST"));
        assertThat(out.indexOf("] follow: following")).isGreaterThan(out.indexOf("] VNC: opening"))
                .isLessThan(out.indexOf("] suspend: POST"));
        assertThat(out.indexOf("] VNC: opening")).isGreaterThan(out.indexOf("] shell: opening"))
                .isLessThan(out.indexOf("] suspend: POST"));
        assertThat(out.indexOf("] suspend: POST")).isPositive().isLessThan(out.indexOf("] unsuspend: POST"));
        assertThat(out.indexOf("] unsuspend: POST")).isPositive().isLessThan(out.indexOf("] guest power-off:"));
        assertThat(out.indexOf("] guest power-off:")).isPositive().isLessThan(out.indexOf("] terminate: POST"));
        assertThat(out.lines()).noneMatch(line -> line.endsWith(" "));
        assertThat(out.lines()).allMatch(line -> line.length() <= 160, "short lines");
    }

    @Test
    void withAMissingPluginsDirectoryItFailsNamingTheStep() {
        CliRuns.Run run = run("demo", "--plugins", temp.resolve("none").toString(), "--step-timeout", "5");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("ucloud-im demo FAILED: step 'start the IM': ").contains("none");
        assertThat(run.err()).doesNotContain("\tat ");
    }
}
