package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.GuestLayout;
import dk.sdu.cloud.im.kubevirt.admission.VmMount;

/**
 * The systemd units cloud-init installs in the guest: the agent, the metrics service, a path unit for each
 * of the two that starts it once its executable exists, and one mount unit per UCloud mount.
 *
 * <p>The services follow UCloud/IM's units (research section 3): restarted forever, 2 s apart, quickly
 * stopped. Two deliberate differences: they wait for their folders ({@code RequiresMountsFor}), and the
 * restart rate limit is switched off where systemd reads it ({@code StartLimitIntervalSec=0} in
 * {@code [Unit]}; UCloud puts its limit keys in {@code [Service]}).
 *
 * <p>The UCloud folders are mount units rather than cloud-init's {@code mounts} key: cloud-init (22.4 and
 * later) drops a {@code mounts} entry whose first field is neither a block device nor {@code host:path}
 * ("Ignoring nonexistent named mount"), which a virtiofs tag is not.
 *
 * <p>The services are started by their path units ({@code PathExists=}), not enabled themselves: until the
 * IM has copied the agent bundle into the provider's {@code ucloud-exe} folder, {@code /opt/ucloud} has no
 * executables, and a service restarted every 2 s would spin (and fill the journal) for nothing. Path units
 * watch with inotify, which does not see files that the host adds to a shared folder; systemd checks the
 * path again when the path unit starts, i.e. at every boot.
 */
final class GuestUnits {
    static final String AGENT_UNIT = "ucloud-vmagent.service";
    static final String METRICS_UNIT = "ucloud-metrics.service";
    static final String AGENT_PATH_UNIT = "ucloud-vmagent.path";
    static final String METRICS_PATH_UNIT = "ucloud-metrics.path";
    static final String AGENT_EXECUTABLE = GuestLayout.OPT_UCLOUD + "/vmagent";
    /** The metrics service is the agent bundle's launcher with a subcommand (vm-agent, docs/metrics-format.md). */
    static final String METRICS_COMMAND = AGENT_EXECUTABLE + " metrics";
    static final String UNIT_DIR = "/etc/systemd/system";

    private GuestUnits() {
    }

    static SystemdUnit agent() {
        return service(AGENT_UNIT, "UCloud VM agent", AGENT_EXECUTABLE);
    }

    static SystemdUnit metrics() {
        return service(METRICS_UNIT, "UCloud VM metrics", METRICS_COMMAND);
    }

    /** Starts the agent once {@code /opt/ucloud/vmagent} exists. */
    static SystemdUnit agentPath() {
        return path(AGENT_PATH_UNIT, "UCloud VM agent, once installed", AGENT_EXECUTABLE, AGENT_UNIT);
    }

    /** Starts the metrics service once {@code /opt/ucloud/vmagent} exists: it is in the agent's bundle. */
    static SystemdUnit metricsPath() {
        return path(METRICS_PATH_UNIT, "UCloud VM metrics, once installed", AGENT_EXECUTABLE, METRICS_UNIT);
    }

    private static SystemdUnit path(String fileName, String description, String executable, String service) {
        return SystemdUnit.builder(fileName)
                .section("Unit")
                .set("Description", description)
                .set("RequiresMountsFor", GuestLayout.OPT_UCLOUD)
                .section("Path")
                .set("PathExists", executable)
                .set("Unit", service)
                .section("Install")
                .set("WantedBy", "multi-user.target")
                .build();
    }

    private static SystemdUnit service(String fileName, String description, String execStart) {
        return SystemdUnit.builder(fileName)
                .section("Unit")
                .set("Description", description)
                .set("After", "network.target")
                .set("RequiresMountsFor", GuestLayout.OPT_UCLOUD + " " + GuestLayout.ETC_UCLOUD + " "
                        + GuestLayout.WORK)
                .set("StartLimitIntervalSec", "0")
                .section("Service")
                .set("Type", "simple")
                .set("User", GuestLayout.UCLOUD_USER)
                .set("ExecStart", execStart)
                .set("Restart", "always")
                .set("RestartSec", "2s")
                .set("RestartPreventExitStatus", "SIGTERM SIGINT")
                .set("KillSignal", "SIGTERM")
                .set("TimeoutStopSec", "1s")
                .section("Install")
                .set("WantedBy", "multi-user.target")
                .build();
    }

    static SystemdUnit mount(VmMount mount) {
        return SystemdUnit.builder(SystemdUnit.mountUnitName(mount.guestPath()))
                .section("Unit")
                .set("Description", "UCloud folder " + mount.guestPath())
                .section("Mount")
                .set("What", mount.tag())
                .set("Where", mount.guestPath())
                .set("Type", "virtiofs")
                .set("Options", mount.readOnly() ? "ro" : "rw")
                .section("Install")
                .set("WantedBy", "multi-user.target")
                .build();
    }
}
