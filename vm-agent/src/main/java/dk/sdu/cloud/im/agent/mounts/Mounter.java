package dk.sdu.cloud.im.agent.mounts;

/** Makes one folder appear at its guest path. Never throws for a folder that cannot be mounted: that is a result. */
public interface Mounter {
    MountResult mount(MountEntry entry);
}
