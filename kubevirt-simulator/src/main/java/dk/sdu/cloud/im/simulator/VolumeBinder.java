package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static dk.sdu.cloud.im.simulator.Generic.string;

/**
 * The persistent-volume controller, for statically provisioned volumes: a volume without a claim is
 * {@code Available}; a claim that names a volume
 * ({@code spec.volumeName}) is bound to it when the volume exists and is not held by another claim; when a bound
 * claim goes, a {@code Retain} volume becomes {@code Released} (keeping its {@code claimRef}, so no new claim
 * can bind it) and a {@code Delete} volume is deleted. Dynamic provisioning is not simulated.
 */
final class VolumeBinder {

    private static final Logger log = LoggerFactory.getLogger(VolumeBinder.class);

    private final ClusterView cluster;
    private final Consumer<SimulatorEvent> events;

    VolumeBinder(ClusterView cluster, Consumer<SimulatorEvent> events) {
        this.cluster = cluster;
        this.events = events;
    }

    /** A volume without a claim is Available: a new one, or a Released one whose claimRef was removed. */
    void volumeChanged(String volumeName) {
        GenericKubernetesResource volume = cluster.cached(Kinds.PERSISTENT_VOLUME, volumeName);
        if (volume == null || volume.getMetadata().getDeletionTimestamp() != null
                || !Generic.map(volume, "spec", "claimRef").isEmpty()
                || "Available".equals(string(volume, "status", "phase"))) {
            return;
        }
        cluster.set(Kinds.PERSISTENT_VOLUME, volumeName, "status", Map.of("phase", "Available"));
    }

    void bind(String claimName) {
        GenericKubernetesResource claim = cluster.cached(Kinds.PERSISTENT_VOLUME_CLAIM, claimName);
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null
                || "Bound".equals(string(claim, "status", "phase"))) {
            return;
        }
        String volumeName = string(claim, "spec", "volumeName");
        GenericKubernetesResource volume = volumeName == null ? null : cluster.cached(Kinds.PERSISTENT_VOLUME, volumeName);
        if (volume == null) {
            setClaimPhase(claim, "Pending", null);
            return;
        }
        String claimUid = claim.getMetadata().getUid();
        Map<String, Object> claimRef = Generic.map(volume, "spec", "claimRef");
        String heldBy = Generic.string(claimRef, "uid");
        boolean ours = claimRef.isEmpty()
                || claimUid.equals(heldBy)
                || (heldBy == null && claimName.equals(claimRef.get("name"))
                && cluster.namespace().equals(claimRef.get("namespace")));
        if (!ours || "Released".equals(string(volume, "status", "phase"))) {
            setClaimPhase(claim, "Pending", null);
            return;
        }
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("apiVersion", "v1");
        reference.put("kind", "PersistentVolumeClaim");
        reference.put("namespace", cluster.namespace());
        reference.put("name", claimName);
        reference.put("uid", claimUid);
        if (!reference.equals(claimRef)) {
            cluster.set(Kinds.PERSISTENT_VOLUME, volumeName, "spec/claimRef", reference);
        }
        if (!"Bound".equals(string(volume, "status", "phase"))) {
            cluster.set(Kinds.PERSISTENT_VOLUME, volumeName, "status", Map.of("phase", "Bound"));
        }
        setClaimPhase(claim, "Bound", volume);
        events.accept(new SimulatorEvent(SimulatorEvent.Type.VOLUME_BOUND, "PersistentVolumeClaim", claimName,
                "to PersistentVolume " + volumeName));
    }

    private void setClaimPhase(GenericKubernetesResource claim, String phase, GenericKubernetesResource volume) {
        if (phase.equals(string(claim, "status", "phase"))) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        if (volume != null) {
            Object accessModes = volume.get("spec", "accessModes");
            Object capacity = volume.get("spec", "capacity");
            if (accessModes != null) {
                status.put("accessModes", accessModes);
            }
            if (capacity != null) {
                status.put("capacity", capacity);
            }
        }
        cluster.set(Kinds.PERSISTENT_VOLUME_CLAIM, claim.getMetadata().getName(), "status", status);
    }

    void claimGone(Work.ClaimGone claim) {
        if (claim.volumeName() == null) {
            return;
        }
        GenericKubernetesResource volume = cluster.cached(Kinds.PERSISTENT_VOLUME, claim.volumeName());
        if (volume == null || !claim.uid().equals(string(volume, "spec", "claimRef", "uid"))) {
            return;
        }
        String policy = string(volume, "spec", "persistentVolumeReclaimPolicy");
        if ("Delete".equals(policy)) {
            if (cluster.delete(Kinds.PERSISTENT_VOLUME, claim.volumeName())) {
                events.accept(new SimulatorEvent(SimulatorEvent.Type.VOLUME_DELETED, "PersistentVolume",
                        claim.volumeName(), "its claim " + claim.name() + " is gone"));
            }
            return;
        }
        if (!"Released".equals(string(volume, "status", "phase"))) {
            cluster.set(Kinds.PERSISTENT_VOLUME, claim.volumeName(), "status", Map.of("phase", "Released"));
            events.accept(new SimulatorEvent(SimulatorEvent.Type.VOLUME_RELEASED, "PersistentVolume",
                    claim.volumeName(), "its claim " + claim.name() + " is gone"));
            log.info("simulated volume controller: PersistentVolume {} released", claim.volumeName());
        }
    }
}
