package dk.sdu.cloud.im.simulator;

import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How the {@link KubeVirtSimulator} "boots" the guest of each running VirtualMachineInstance: a folder that
 * stands for the guest's root file system, the guest agent run in it as a local process, and a serial line
 * ({@code /bin/sh -i}) behind the VMI's console.
 *
 * @param rootsFolder    where guest roots are made: {@code <rootsFolder>/<namespace>/<vmi name>/}
 * @param agentLauncher  the agent launcher each guest runs as {@code <launcher> --simulated-guest <root>}
 *                       (in embedded mode {@code <provider mount point>/ucloud-exe/vmagent}, the guest's
 *                       {@code /opt/ucloud/vmagent}); while it does not exist a guest runs without its agent
 *                       and starts it when it appears, as the guest's systemd path unit does
 * @param restartDelay   how long after an agent exited it is started again ({@code RestartSec})
 * @param restartLimit   how many restarts within {@code restartWindow} a guest allows before it gives up
 * @param restartWindow  the window of {@code restartLimit}
 * @param stopTimeout    how long a stopped agent may take to end after SIGTERM before it is killed
 */
public record GuestSettings(Path rootsFolder, Path agentLauncher, Duration restartDelay, int restartLimit,
                            Duration restartWindow, Duration stopTimeout) {

    public GuestSettings {
        requireNonNull(rootsFolder, "rootsFolder is null");
        requireNonNull(agentLauncher, "agentLauncher is null");
        requireNonNull(restartDelay, "restartDelay is null");
        requireNonNull(restartWindow, "restartWindow is null");
        requireNonNull(stopTimeout, "stopTimeout is null");
        rootsFolder = rootsFolder.toAbsolutePath().normalize();
        agentLauncher = agentLauncher.toAbsolutePath().normalize();
        if (restartDelay.isNegative() || restartWindow.isNegative() || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (restartLimit < 0) {
            throw new IllegalArgumentException("restartLimit must not be negative, got " + restartLimit);
        }
    }

    /**
     * As the guest's agent unit has it: restarted 2 s after it exits, at most 10 times a minute (the unit has
     * no limit; a simulation that restarts a broken program forever only fills its log), 5 s to stop.
     */
    public static GuestSettings of(Path rootsFolder, Path agentLauncher) {
        return new GuestSettings(rootsFolder, agentLauncher, Duration.ofSeconds(2), 10, Duration.ofMinutes(1),
                Duration.ofSeconds(5));
    }

    /** These settings with another restart delay. */
    public GuestSettings withRestartDelay(Duration delay) {
        return new GuestSettings(rootsFolder, agentLauncher, delay, restartLimit, restartWindow, stopTimeout);
    }

    /** These settings with another restart limit. */
    public GuestSettings withRestartLimit(int limit) {
        return new GuestSettings(rootsFolder, agentLauncher, restartDelay, limit, restartWindow, stopTimeout);
    }
}
