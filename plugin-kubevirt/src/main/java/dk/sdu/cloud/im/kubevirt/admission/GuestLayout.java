package dk.sdu.cloud.im.kubevirt.admission;

import java.util.List;

/**
 * Where UCloud's files live inside a VM guest, and in the provider file system. Shared by admission (which
 * keeps users' folders off these paths), cloud-init and the agent's configuration.
 */
public final class GuestLayout {
    /** The guest binaries (the agent bundle: {@code vmagent}, also the metrics service), read-only. */
    public static final String OPT_UCLOUD = "/opt/ucloud";
    /** The job's {@code config} folder, read-only: {@code mounts.yml}. */
    public static final String ETC_UCLOUD = "/etc/ucloud";
    /** The job's {@code work} folder, read-write. */
    public static final String WORK = "/work";
    /** The agent's own configuration and tokens, on the guest's disk (never in the user's drive). */
    public static final String AGENT_CONFIG_DIR = "/etc/ucloud-agent";
    /** The agent's configuration file. */
    public static final String AGENT_CONFIG_FILE = AGENT_CONFIG_DIR + "/agent.json";
    /** The list of user folders the agent mounts at every boot. */
    public static final String MOUNTS_FILE = ETC_UCLOUD + "/mounts.yml";
    /** {@link #MOUNTS_FILE} as seen from the provider file system, relative to the job folder. */
    public static final String MOUNTS_FILE_IN_JOB_FOLDER = "config/mounts.yml";
    /** The provider folder that holds the guest binaries, relative to the mount point (as UCloud/IM has it). */
    public static final String EXECUTABLES_FOLDER = "ucloud-exe";
    /** The uid (and gid) of the guest user {@code ucloud}: UCloud's default uid on the provider file system. */
    public static final int UCLOUD_UID = 11042;
    /** The guest user that owns the job's files and runs the agent. */
    public static final String UCLOUD_USER = "ucloud";

    private GuestLayout() {
    }

    /** Paths that no user folder may be mounted at, above or below. */
    public static List<String> reservedPaths() {
        return List.of(OPT_UCLOUD, ETC_UCLOUD, WORK, AGENT_CONFIG_DIR);
    }
}
