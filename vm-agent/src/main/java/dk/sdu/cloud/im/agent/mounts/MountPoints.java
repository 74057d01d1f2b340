package dk.sdu.cloud.im.agent.mounts;

import java.nio.file.Path;

/** Tells whether a path is a mount point already. */
public interface MountPoints {
    boolean isMountPoint(Path path);
}
