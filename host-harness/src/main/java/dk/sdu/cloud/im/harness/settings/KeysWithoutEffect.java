package dk.sdu.cloud.im.harness.settings;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which of UCloud/IM's keys a file sets that have no effect in this IM (see {@link UCloudCompatibilityKeys}),
 * each with why: {@code config check} prints them and {@code serve} warns about them.
 */
public final class KeysWithoutEffect {
    private static final String REACHING_A_VM = "not implemented yet (issue 'Reaching a VM')";
    private static final String VMS_ONLY = "this IM runs virtual machines only";

    /** The fixed key paths, in file order, and why each has no effect. */
    private static final Map<String, String> FIXED = fixed();

    /** Below {@code services.compute.machines.<category>.groups.<group>}. */
    private static final Map<String, String> PER_GROUP = Map.of(
            "customRuntime", "the runtime class of container pods; virtual machines do not use it");

    private KeysWithoutEffect() {
    }

    private static Map<String, String> fixed() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("provider.providerBranding", "branding for UCloud's web interface: this IM does not serve branding yet");
        keys.put("provider.jobAuditLog", "this IM writes no job audit log files");
        keys.put("provider.ipc", "this IM is one process and needs no IPC directory");
        keys.put("provider.logs", "this IM logs through its own logging settings (log4j2), not to this directory");
        keys.put("provider.envoy", "this IM needs no gateway of its own: Core calls its HTTP server directly");
        keys.put("provider.profiler", "Go's profiler of UCloud's IM; use the JVM's tools here");
        keys.put("provider.maintenance", "maintenance mode: not implemented yet");
        keys.put("services.unmanaged", "UCloud's IM uses it only for Slurm providers");
        keys.put("services.taskNamespace", "this IM runs no file-system task jobs");
        keys.put("services.taskNodeSelector", "this IM runs no file-system task jobs");
        keys.put("services.fileSystem.scanMethod", "this IM does not measure storage use");
        keys.put("services.fileSystem.metadataCatalog", "this IM has no metadata catalog");
        keys.put("services.compute.estimatedContainerDownloadSpeed", "image pulls of containers: " + VMS_ONLY);
        keys.put("services.compute.machineImpersonation", "scheduler queues: this IM leaves placement to Kubernetes");
        keys.put("services.compute.modules", "software modules are mounted into containers: " + VMS_ONLY);
        keys.put("services.compute.syncthing", "Syncthing runs in containers: " + VMS_ONLY);
        keys.put("services.compute.integratedTerminal", "the integrated terminal product: not offered by this IM");
        keys.put("services.compute.inference", "UCloud's inference service: not offered by this IM");
        keys.put("services.compute.ucx", "UCloud's UCX applications run in containers: " + VMS_ONLY);
        return Collections.unmodifiableMap(keys);
    }

    /** The keys without effect that a file sets, in the order of the list above, then the groups' keys. */
    public static List<KeyWithoutEffect> in(JsonNode root) {
        List<KeyWithoutEffect> found = new ArrayList<>();
        FIXED.forEach((path, why) -> {
            if (!at(root, path).isMissingNode()) {
                found.add(new KeyWithoutEffect(path, why));
            }
        });
        JsonNode machines = at(root, "services.compute.machines");
        for (Map.Entry<String, JsonNode> category : machines.properties()) {
            for (Map.Entry<String, JsonNode> group : category.getValue().path("groups").properties()) {
                PER_GROUP.forEach((key, why) -> {
                    if (group.getValue().has(key)) {
                        found.add(new KeyWithoutEffect("services.compute.machines." + category.getKey() + ".groups."
                                + group.getKey() + "." + key, why));
                    }
                });
            }
        }
        return List.copyOf(found);
    }

    /**
     * The one line {@code serve} logs as a warning when the file sets keys without effect, e.g.
     * {@code 2 configuration keys have no effect in this IM: provider.envoy (this IM needs ...); ...}.
     */
    public static Optional<String> warning(List<KeyWithoutEffect> keys) {
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(keys.size() + (keys.size() == 1 ? " configuration key has" : " configuration keys have")
                + " no effect in this IM (accepted as UCloud's IM reads them; 'ucloud-im config check' lists them): "
                + keys.stream().map(k -> k.path() + " (" + k.why() + ")").collect(Collectors.joining("; ")));
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String key : path.split("\\.")) {
            node = node.path(key);
        }
        return node;
    }
}
