package dk.sdu.cloud.im.agent.mounts;

import static java.util.Objects.requireNonNull;

/** What became of one mount, as the {@code mounts} frame reports it. */
public record MountResult(String tag, String path, boolean readOnly, Outcome outcome, String message) {
    public MountResult {
        requireNonNull(tag, "tag is null");
        requireNonNull(path, "path is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(message, "message is null");
    }

    public static MountResult of(MountEntry entry, Outcome outcome, String message) {
        return new MountResult(entry.tag(), entry.path(), entry.readOnly(), outcome, message);
    }

    public enum Outcome {
        MOUNTED("mounted"),
        ALREADY_MOUNTED("alreadyMounted"),
        FAILED("failed");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        /** The name in the protocol. */
        public String wireName() {
            return wireName;
        }
    }
}
