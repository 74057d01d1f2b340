package dk.sdu.cloud.im.harness.demo;

import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.ShellSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The demo's shell step, as a UCloud user's terminal gets there: a shell session through the provider API
 * ({@link HarnessClient#openShell}), which the IM runs through the job's guest agent, or through the VM's serial
 * console while the agent is not connected (then it moves the shell to the agent once it connects). The step
 * waits for the agent (that move), runs a command, then puts an SSH key for the job into the host's key folder
 * and reads the guest's {@code authorized_keys} through the shell until the agent has written it there.
 */
public final class DemoShell {
    /** How the IM's notice of the serial console fallback begins (the KubeVirt plugin's text). */
    static final String SERIAL_NOTICE = "Using the serial console";
    /** How the IM's notice of the move to the agent begins (after it clears the screen). */
    static final String AGENT_NOTICE = "The VM's agent answered";
    /** The command the demo runs in the guest. */
    static final String COMMAND = "id -un; pwd; ls -A";
    /** The marker the agent puts after each key it manages in {@code authorized_keys}. */
    static final String MANAGED_KEY_MARKER = " ucloud-managed-key";

    private final HarnessClient client;
    private final String jobId;
    private final Path sshKeysFolder;
    private final DemoOutput output;
    private final Duration stepTimeout;

    /**
     * @param client        the provider API
     * @param jobId         a RUNNING VM job
     * @param sshKeysFolder the host's SSH key folder ({@code <data directory>/ssh-keys})
     * @param out           where the step tells what happens
     * @param stepTimeout   how long each part may take
     */
    public DemoShell(HarnessClient client, String jobId, Path sshKeysFolder, PrintWriter out, Duration stepTimeout) {
        this(client, jobId, sshKeysFolder, new DemoOutput(requireNonNull(out, "out is null")), stepTimeout);
    }

    DemoShell(HarnessClient client, String jobId, Path sshKeysFolder, DemoOutput output, Duration stepTimeout) {
        this.client = requireNonNull(client, "client is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.sshKeysFolder = requireNonNull(sshKeysFolder, "sshKeysFolder is null");
        this.output = requireNonNull(output, "output is null");
        this.stepTimeout = requireNonNull(stepTimeout, "stepTimeout is null");
    }

    /**
     * Runs the step.
     *
     * @throws DemoFailure naming the part that did not work (e.g. {@code shell: wait for the guest agent})
     */
    public void run() {
        output.line("shell: opening a shell in job " + jobId + " through the provider API (interactive session "
                + "SHELL, then its websocket)");
        ShellSession shell;
        try {
            shell = client.openShell(jobId, 0);
        } catch (HarnessClientException e) {
            throw new DemoFailure("step 'shell: open': " + e.getMessage(), e);
        }
        try (shell) {
            awaitAgent(shell);
            ShellSession.CommandResult result = run(shell, COMMAND, "shell: run a command");
            output.line("shell: $ " + COMMAND + "   (exit status " + result.exitStatus() + ")");
            output.block(result.output());
            if (result.exitStatus() != 0) {
                throw new DemoFailure("step 'shell: run a command': '" + COMMAND + "' exited with "
                        + result.exitStatus());
            }
            sshKey(shell);
        }
    }

    /** Waits until the shell runs through the agent, and says which way it went. */
    private void awaitAgent(ShellSession shell) {
        String first;
        try {
            first = shell.readSome(stepTimeout);
        } catch (HarnessClientException e) {
            throw new DemoFailure("step 'shell: first output': " + e.getMessage(), e);
        }
        if (!first.startsWith(SERIAL_NOTICE)) {
            output.line("shell: it runs through the guest agent (a PTY in the guest)");
            return;
        }
        output.line("shell: the guest agent is not connected yet: the IM fell back to the VM's serial console, saying");
        output.block(first.lines().findFirst().orElse(first).strip());
        output.line("shell: waiting for the guest agent to connect (up to " + stepTimeout.toSeconds()
                + " s); the IM moves the shell to it when it does");
        long start = System.nanoTime();
        try {
            shell.readUntil(AGENT_NOTICE, stepTimeout);
        } catch (HarnessClientException e) {
            throw new DemoFailure("step 'shell: wait for the guest agent': the agent of job " + jobId
                    + " did not connect (is the agent bundle, guest/vm-agent/ of the installation or --agent-bundle, "
                    + "there?): " + e.getMessage(), e);
        }
        String notice = AGENT_NOTICE + shell.readUntil("\n", stepTimeout).strip();
        output.line(String.format(Locale.ROOT, "shell: the agent answered after %.1f s: the IM cleared the screen and "
                + "moved the shell to it, saying", (System.nanoTime() - start) / 1e9));
        output.block(notice);
        output.line("shell: it now runs through the guest agent (a PTY in the guest), not the serial console");
    }

    /** Writes a key for the job into the host's key folder and waits until the guest's file has it. */
    private void sshKey(ShellSession shell) {
        String key = demoKey();
        Path file = sshKeysFolder.resolve(jobId + ".pub");
        writeAtomically(file, key + "\n");
        output.line("ssh key: wrote a key for job " + jobId + " to " + file + " (the VM keeps running)");
        String keyBody = key.split(" ")[1];
        long tenths = Math.max(10, stepTimeout.toSeconds() * 10);
        // Polled in the guest, bounded: the agent rewrites the file the moment the IM pushes the keys.
        String command = "f=\"$HOME/.ssh/authorized_keys\"; i=0; until grep -qF '" + keyBody + "' \"$f\" 2>/dev/null"
                + " || [ $i -ge " + tenths + " ]; do sleep 0.1; i=$((i+1)); done; cat \"$f\"";
        ShellSession.CommandResult result = run(shell, command, "ssh key: read authorized_keys");
        String expected = key + MANAGED_KEY_MARKER;
        if (result.output().lines().noneMatch(expected::equals)) {
            throw new DemoFailure("step 'ssh key: wait for authorized_keys': the guest's ~/.ssh/authorized_keys did "
                    + "not get the key within " + stepTimeout.toSeconds() + " s; it holds: " + result.output());
        }
        output.line("ssh key: the guest agent put it into ~/.ssh/authorized_keys (read through the shell: cat "
                + "~/.ssh/authorized_keys):");
        output.block(result.output());
    }

    private ShellSession.CommandResult run(ShellSession shell, String command, String step) {
        try {
            return shell.run(command, stepTimeout.plusSeconds(5));
        } catch (HarnessClientException e) {
            throw new DemoFailure("step '" + step + "': " + e.getMessage(), e);
        }
    }

    /** A well-formed ed25519 public key line of random bytes (nobody holds its private key). */
    private static String demoKey() {
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        byte[] point = new byte[32];
        new SecureRandom().nextBytes(point);
        ByteBuffer blob = ByteBuffer.allocate(4 + type.length + 4 + point.length);
        blob.putInt(type.length).put(type).putInt(point.length).put(point);
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.array()) + " demo@ucloud-im";
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".demo-key", ".tmp");
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
