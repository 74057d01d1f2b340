package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code services.compute.virtualMachines}: the KubeVirt backend's own keys. {@code storage} below it
 * belongs to the host (its {@code type}) and to the selected storage plugin (the rest).
 *
 * @param enabled                   whether virtual machines may run at all
 * @param podLevelResources         ask for pod-level cpu/memory resources (UCloud's
 *                                  {@code ucloud.dk/podLevelResources} annotation)
 * @param imageCacheFolder          where golden images are cached, relative to
 *                                  {@code services.fileSystem.mountPoint}
 * @param agentEndpoint             the websocket URL at which guests' agents reach the IM
 * @param missingVmGraceSeconds     how long a job's VM may be missing before the job is reported ended
 */
@ConfigSection("services.compute.virtualMachines")
public record KubeVirtConfig(
        @ConfigDefault("false") boolean enabled,
        @ConfigDefault("false") boolean podLevelResources,
        @ConfigDefault("vm-golden-images") String imageCacheFolder,
        @ConfigDefault("ws://ucloud-im:42000/api/vmagent") String agentEndpoint,
        @ConfigDefault("300") int missingVmGraceSeconds
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (imageCacheFolder.isBlank() || imageCacheFolder.startsWith("/")
                || List.of(imageCacheFolder.split("/")).contains("..")) {
            problems.add(new ConfigProblem("imageCacheFolder",
                    "must be a folder relative to services.fileSystem.mountPoint, got '" + imageCacheFolder + "'"));
        }
        if (!agentEndpoint.startsWith("ws://") && !agentEndpoint.startsWith("wss://")) {
            problems.add(new ConfigProblem("agentEndpoint",
                    "must be a ws:// or wss:// URL, got '" + agentEndpoint + "'"));
        }
        if (missingVmGraceSeconds < 0) {
            problems.add(new ConfigProblem("missingVmGraceSeconds",
                    "must not be negative, got " + missingVmGraceSeconds));
        }
        return problems;
    }
}
