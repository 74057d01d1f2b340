package dk.sdu.cloud.im.kubevirt.admission;

import static java.util.Objects.requireNonNull;

/**
 * A folder of the provider file system that a VM sees through virtiofs. Each has its own PV/PVC pair
 * ({@link VmJobNames#mountVolume(String)} with {@link #suffix()}) and a virtiofs filesystem whose name is
 * the mount {@link #tag()} the guest mounts.
 *
 * @param kind           a UCloud mount (mounted by systemd units from cloud-init) or a user folder (mounted
 *                       by the agent from {@code /etc/ucloud/mounts.yml})
 * @param suffix         the volume name suffix: {@code opt}, {@code etc}, {@code work}, {@code r0},
 *                       {@code r1}, ...
 * @param tag            the virtiofs tag and the VM's filesystem/volume name: {@code ucloud-<suffix>}
 * @param guestPath      where the guest mounts it, absolute and normalized
 * @param relativeFolder the folder, relative to the provider file system's mount point
 * @param readOnly       whether the VM may only read it
 */
public record VmMount(
        Kind kind,
        String suffix,
        String tag,
        String guestPath,
        String relativeFolder,
        boolean readOnly
) {
    /** Who mounts a folder inside the guest. */
    public enum Kind {
        /** {@code /opt/ucloud}, {@code /etc/ucloud} and {@code /work}: systemd mount units from cloud-init. */
        UCLOUD,
        /** A folder the user attached: the agent mounts it from {@code mounts.yml} at every boot. */
        USER_FOLDER
    }

    public VmMount {
        requireNonNull(kind, "kind is null");
        requireNonNull(suffix, "suffix is null");
        requireNonNull(tag, "tag is null");
        requireNonNull(guestPath, "guestPath is null");
        requireNonNull(relativeFolder, "relativeFolder is null");
    }

    /** A mount whose tag is {@code ucloud-<suffix>}. */
    public static VmMount of(Kind kind, String suffix, String guestPath, String relativeFolder, boolean readOnly) {
        return new VmMount(kind, suffix, "ucloud-" + suffix, guestPath, relativeFolder, readOnly);
    }
}
