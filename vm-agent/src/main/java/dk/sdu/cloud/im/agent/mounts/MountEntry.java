package dk.sdu.cloud.im.agent.mounts;

import static java.util.Objects.requireNonNull;

/** One entry of the mounts file: the folder with virtiofs (or 9p) tag {@code tag} goes to guest path {@code path}. */
public record MountEntry(String tag, String path, boolean readOnly, String fsType) {
    public static final String DEFAULT_FS_TYPE = "virtiofs";

    public MountEntry {
        requireNonNull(tag, "tag is null");
        requireNonNull(path, "path is null");
        requireNonNull(fsType, "fsType is null");
    }
}
