package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dk.sdu.cloud.im.simulator.Generic.string;
import static java.util.Objects.requireNonNull;

/**
 * What a VMI's guest gets at boot, read from the cluster as virt-launcher would: the cloud-init user data
 * (the {@code cloudInitNoCloud} volume's Secret, key {@code userdata} or {@code userData}) and, for every
 * virtiofs filesystem of the domain, the host folder behind it (the volume's claim, its bound volume, that
 * volume's {@code hostPath}). A tag whose folder cannot be found (no claim, no volume, no host path) is left
 * out: the guest cannot mount it.
 *
 * @param userData the {@code #cloud-config} document, or null when the VMI has none
 * @param tags     virtiofs tag to absolute host folder
 */
record GuestBoot(String userData, Map<String, Path> tags) {

    GuestBoot {
        tags = Map.copyOf(requireNonNull(tags, "tags is null"));
    }

    /** Reads a VMI's boot inputs; objects missing from the caches are asked for. */
    static GuestBoot of(GenericKubernetesResource vmi, ClusterView cluster) {
        List<Map<String, Object>> volumes = Generic.listOfMaps(vmi, "spec", "volumes");
        String userData = null;
        for (Map<String, Object> volume : volumes) {
            String secret = string(volume, "cloudInitNoCloud", "secretRef", "name");
            if (secret != null) {
                userData = userData(cluster.find(Kinds.SECRET, secret));
            }
        }
        Map<String, Path> tags = new LinkedHashMap<>();
        for (Map<String, Object> filesystem : Generic.listOfMaps(vmi, "spec", "domain", "devices", "filesystems")) {
            Object tag = filesystem.get("name");
            if (tag == null) {
                continue;
            }
            for (Map<String, Object> volume : volumes) {
                if (tag.equals(volume.get("name"))) {
                    Path folder = hostFolder(string(volume, "persistentVolumeClaim", "claimName"), cluster);
                    if (folder != null) {
                        tags.put(tag.toString(), folder);
                    }
                }
            }
        }
        return new GuestBoot(userData, tags);
    }

    private static String userData(GenericKubernetesResource secret) {
        if (secret == null) {
            return null;
        }
        for (String key : List.of("userdata", "userData")) {
            String encoded = string(secret, "data", key);
            if (encoded != null) {
                return new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
            }
            String plain = string(secret, "stringData", key);
            if (plain != null) {
                return plain;
            }
        }
        return null;
    }

    private static Path hostFolder(String claimName, ClusterView cluster) {
        if (claimName == null) {
            return null;
        }
        GenericKubernetesResource claim = cluster.find(Kinds.PERSISTENT_VOLUME_CLAIM, claimName);
        String volumeName = claim == null ? null : string(claim, "spec", "volumeName");
        GenericKubernetesResource volume = volumeName == null ? null : cluster.find(Kinds.PERSISTENT_VOLUME, volumeName);
        String path = volume == null ? null : string(volume, "spec", "hostPath", "path");
        return path == null || !path.startsWith("/") ? null : Path.of(path).normalize();
    }

    @Override
    public String toString() {
        // The user data holds the agent's tokens: never in a log.
        return "GuestBoot[userData=" + (userData == null ? "none" : userData.length() + " chars") + ", tags=" + tags + "]";
    }
}
