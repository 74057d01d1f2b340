package dk.sdu.cloud.im.agent.mounts;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.mounts.MountResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real guest's mounts: {@code sudo -n mkdir -p <path>}, then {@code sudo -n mount -t <fsType> [-o ro] <tag> <path>}.
 * The agent runs as {@code ucloud}, which has passwordless sudo; {@code -n} makes a missing grant fail at once
 * instead of waiting for a password.
 */
public final class SudoMounter implements Mounter {
    static final int MAX_MESSAGE_CHARS = 1000;

    private final CommandRunner runner;
    private final MountPoints mountPoints;

    public SudoMounter(CommandRunner runner, MountPoints mountPoints) {
        this.runner = requireNonNull(runner, "runner is null");
        this.mountPoints = requireNonNull(mountPoints, "mountPoints is null");
    }

    @Override
    public MountResult mount(MountEntry entry) {
        var problem = MountEntryCheck.problem(entry);
        if (problem.isPresent()) {
            return MountResult.of(entry, Outcome.FAILED, problem.get());
        }
        try {
            if (mountPoints.isMountPoint(Path.of(entry.path()))) {
                return MountResult.of(entry, Outcome.ALREADY_MOUNTED, "");
            }
            var mkdir = runner.run(List.of("sudo", "-n", "mkdir", "-p", "--", entry.path()));
            if (mkdir.exitCode() != 0) {
                return MountResult.of(entry, Outcome.FAILED, failure("mkdir", mkdir));
            }
            var command = new ArrayList<>(List.of("sudo", "-n", "mount", "-t", entry.fsType()));
            if (entry.readOnly()) {
                command.addAll(List.of("-o", "ro"));
            }
            command.addAll(List.of("--", entry.tag(), entry.path()));
            var mount = runner.run(command);
            if (mount.exitCode() != 0) {
                return MountResult.of(entry, Outcome.FAILED, failure("mount", mount));
            }
            return MountResult.of(entry, Outcome.MOUNTED, "");
        } catch (IOException | UncheckedIOException e) {
            return MountResult.of(entry, Outcome.FAILED, bounded(e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private static String failure(String step, CommandRunner.CommandResult result) {
        var stderr = result.stderr().strip();
        return bounded(stderr.isEmpty() ? step + " exited with status " + result.exitCode() : stderr);
    }

    static String bounded(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
