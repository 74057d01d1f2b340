package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's list of user folders, {@code /etc/ucloud/mounts.yml} in the guest
 * ({@code <job folder>/config/mounts.yml} on the provider file system). Unlike the cloud-init documents it
 * is rewritten at every start, so that folders attached or detached between boots take effect; the agent
 * mounts each entry with {@code mount -t virtiofs [-o ro] <tag> <path>} at every boot.
 *
 * <p>Shape (a contract with {@code vm-agent}):
 * <pre>
 * mounts:
 *   - tag: "ucloud-r0"
 *     path: "/work/Data"
 *     readOnly: false
 * </pre>
 */
public final class MountsFileRenderer {
    private final YAMLMapper yaml = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .build();

    /** The file's text for the user folders of a plan; {@code mounts: []} when there are none. */
    public String render(List<VmMount> userFolders) {
        List<Map<String, Object>> entries = userFolders.stream().map(MountsFileRenderer::entry).toList();
        return yaml.writeValueAsString(Map.of("mounts", entries));
    }

    private static Map<String, Object> entry(VmMount mount) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tag", mount.tag());
        entry.put("path", mount.guestPath());
        entry.put("readOnly", mount.readOnly());
        return entry;
    }
}
