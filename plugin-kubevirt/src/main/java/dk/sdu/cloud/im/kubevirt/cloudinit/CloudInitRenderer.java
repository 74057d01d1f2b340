package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.GuestLayout;
import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Makes a VM's NoCloud documents. Both are built as maps and lists and serialized with Jackson YAML, so a
 * hostile value (a key, a host name, a token) is always one scalar and can never add keys or documents.
 *
 * <p>The user data, accepted by cloud-init 22.4 (Debian 12) and later:
 * <ul>
 *   <li>user {@code ucloud} (uid {@value GuestLayout#UCLOUD_UID}), locked password, {@code /bin/bash},
 *       passwordless sudo as one string (22.4's schema rejects a list), the owner's SSH keys; root login
 *       and SSH password login off;</li>
 *   <li>systemd units written with {@code write_files}: the agent, the metrics service, their path units
 *       and a mount unit for each UCloud folder (see {@link GuestUnits} for why not cloud-init's
 *       {@code mounts}, and why path units);</li>
 *   <li>the agent's configuration {@link AgentConfig} at {@value GuestLayout#AGENT_CONFIG_FILE}, mode 0600,
 *       owner {@code ucloud}: written with {@code defer: true}, because cloud-init writes files before it
 *       creates users and could not give the file to {@code ucloud} otherwise;</li>
 *   <li>{@code runcmd} (argument lists, no shell): pins uid/gid 11042 (an image may already have a
 *       {@code ucloud} user), then enables and starts the mounts and the services' path units.</li>
 * </ul>
 * Users' folders are not in cloud-init: cloud-init runs once per instance, but the folders may change
 * between boots. The agent mounts them from {@code /etc/ucloud/mounts.yml} ({@link MountsFileRenderer}).
 */
public final class CloudInitRenderer {
    /** The first line cloud-init requires of user data. */
    public static final String HEADER = "#cloud-config\n";

    private final YAMLMapper yaml = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
            .build();
    private final JsonMapper json = JsonMapper.builder().build();

    /** The user data and the network data for a VM. */
    public CloudInitDocuments render(CloudInitRequest request) {
        requireNonNull(request, "request is null");
        return new CloudInitDocuments(HEADER + yaml.writeValueAsString(userData(request)),
                yaml.writeValueAsString(networkData()));
    }

    private Map<String, Object> userData(CloudInitRequest request) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("hostname", request.hostname());
        doc.put("manage_etc_hosts", "localhost");
        doc.put("disable_root", true);
        doc.put("ssh_pwauth", false);
        doc.put("users", List.of(user(request.authorizedKeys())));
        doc.put("write_files", files(request));
        doc.put("runcmd", commands(request.ucloudMounts()));
        return doc;
    }

    private static Map<String, Object> user(List<String> authorizedKeys) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", GuestLayout.UCLOUD_USER);
        user.put("uid", GuestLayout.UCLOUD_UID);
        user.put("lock_passwd", true);
        user.put("shell", "/bin/bash");
        user.put("sudo", "ALL=(ALL) NOPASSWD:ALL");
        if (!authorizedKeys.isEmpty()) {
            // The schema wants at least one key when the list is there.
            user.put("ssh_authorized_keys", authorizedKeys);
        }
        return user;
    }

    private List<Map<String, Object>> files(CloudInitRequest request) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (SystemdUnit unit : units(request.ucloudMounts())) {
            files.add(file(GuestUnits.UNIT_DIR + "/" + unit.fileName(), unit.text(), "0644", "root:root", false));
        }
        AgentConfig agent = new AgentConfig(request.agentEndpoint(), request.jobId(),
                request.tokens().agentToken(), request.tokens().serverToken(), GuestLayout.MOUNTS_FILE);
        String owner = GuestLayout.UCLOUD_USER + ":" + GuestLayout.UCLOUD_USER;
        files.add(file(GuestLayout.AGENT_CONFIG_FILE, json.writeValueAsString(agent) + "\n", "0600", owner, true));
        return files;
    }

    private static List<SystemdUnit> units(List<VmMount> mounts) {
        List<SystemdUnit> units = new ArrayList<>();
        mounts.forEach(mount -> units.add(GuestUnits.mount(mount)));
        units.add(GuestUnits.agent());
        units.add(GuestUnits.metrics());
        units.add(GuestUnits.agentPath());
        units.add(GuestUnits.metricsPath());
        return units;
    }

    private static Map<String, Object> file(String path, String content, String permissions, String owner,
                                            boolean deferred) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", path);
        file.put("owner", owner);
        file.put("permissions", permissions);
        file.put("content", content);
        if (deferred) {
            file.put("defer", true);
        }
        return file;
    }

    private static List<List<String>> commands(List<VmMount> mounts) {
        String uid = Integer.toString(GuestLayout.UCLOUD_UID);
        String user = GuestLayout.UCLOUD_USER;
        List<String> enableMounts = new ArrayList<>(List.of("systemctl", "enable", "--now"));
        mounts.forEach(mount -> enableMounts.add(SystemdUnit.mountUnitName(mount.guestPath())));
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("groupmod", "-g", uid, user));
        commands.add(List.of("usermod", "-u", uid, "-g", uid, user));
        // groupmod leaves files with the old gid: give the agent's directory back to the user.
        commands.add(List.of("chown", "-R", user + ":" + user, GuestLayout.AGENT_CONFIG_DIR));
        commands.add(List.of("systemctl", "daemon-reload"));
        if (!mounts.isEmpty()) {
            commands.add(enableMounts);
        }
        // The path units start the services once their executables exist (see GuestUnits).
        commands.add(List.of("systemctl", "enable", "--now", GuestUnits.AGENT_PATH_UNIT,
                GuestUnits.METRICS_PATH_UNIT));
        return commands;
    }

    /** Version 2, every {@code en*} interface by DHCP: KubeVirt's masquerade binding serves DHCPv4. */
    private static Map<String, Object> networkData() {
        Map<String, Object> nic = new LinkedHashMap<>();
        nic.put("match", Map.of("name", "en*"));
        nic.put("dhcp4", true);
        nic.put("dhcp6", true);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 2);
        doc.put("ethernets", Map.of("default", nic));
        return doc;
    }
}
