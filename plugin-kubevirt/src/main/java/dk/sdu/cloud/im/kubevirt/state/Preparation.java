package dk.sdu.cloud.im.kubevirt.state;

import static java.util.Objects.requireNonNull;

/**
 * How far a job's disk preparation has got, as its preparer reports it.
 *
 * @param phase   in progress or failed
 * @param message for the user, e.g. {@code Downloading the image: 42%}, or what failed and why, e.g.
 *                {@code Preparing the disk failed: the image could not be downloaded (HTTP error)}
 */
public record Preparation(Phase phase, String message) {

    /** The phases the tracker cares about; a finished preparation is simply no preparation. */
    public enum Phase { IN_PROGRESS, FAILED }

    public Preparation {
        requireNonNull(phase, "phase is null");
        requireNonNull(message, "message is null");
    }

    public static Preparation inProgress(String message) {
        return new Preparation(Phase.IN_PROGRESS, message);
    }

    /** The disk could not be prepared, for a reason. */
    public static Preparation failed(String reason) {
        return new Preparation(Phase.FAILED, "Preparing the disk failed: " + requireNonNull(reason, "reason is null"));
    }

    /** The disk is ready but the step after it (switching the VM on) failed, for a reason. */
    public static Preparation startFailed(String reason) {
        return new Preparation(Phase.FAILED, "Starting the virtual machine failed: "
                + requireNonNull(reason, "reason is null"));
    }
}
