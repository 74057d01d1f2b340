package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.GuestLayout;
import dk.sdu.cloud.im.kubevirt.admission.VmMount;

/**
 * The systemd units cloud-init installs in the guest: the agent, the metrics service, and one mount unit
 * per UCloud mount.
 *
 * <p>The services follow UCloud/IM's units (research section 3): restarted forever, 2 s apart, quickly
 * stopped. Two deliberate differences: they wait for their folders ({@code RequiresMountsFor}), and the
 * restart rate limit is switched off where systemd reads it ({@code StartLimitIntervalSec=0} in
 * {@code [Unit]}; UCloud puts its limit keys in {@code [Service]}).
 *
 * <p>The UCloud folders are mount units rather than cloud-init's {@code mounts} key: cloud-init (22.4 and
 * later) drops a {@code mounts} entry whose first field is neither a block device nor {@code host:path}
 * ("Ignoring nonexistent named mount"), which a virtiofs tag is not.
 */
final class GuestUnits {
    static final String AGENT_UNIT = "ucloud-vmagent.service";
    static final String METRICS_UNIT = "ucloud-metrics.service";
    static final String UNIT_DIR = "/etc/systemd/system";

    private GuestUnits() {
    }

    static SystemdUnit agent() {
        return service(AGENT_UNIT, "UCloud VM agent", GuestLayout.OPT_UCLOUD + "/vmagent");
    }

    static SystemdUnit metrics() {
        return service(METRICS_UNIT, "UCloud VM metrics", GuestLayout.OPT_UCLOUD + "/ucmetrics viz");
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
