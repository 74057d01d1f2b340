package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.informers.Followed;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Deletes the PersistentVolumes the plugin made (label {@code app.kubernetes.io/managed-by=ucloud-im}) once
 * they are {@code Released}: their claim went with a terminated job's VM, and a Released volume binds no new
 * claim. Driven by an informer (the object cache's, from the plugin's {@link SharedInformers}), never by polling;
 * its periodic resync retries a deletion that failed.
 *
 * <p>A job being terminated is {@link #hold held}: its disk's volume records the termination until the disk
 * is in the trash, so it must outlive that step even when it is Released sooner.
 *
 * <p>A volume adopted from UCloud's own IM (annotation {@code ucloud.dk/adopted}) is deleted only when its job
 * was terminated by this IM ({@link TerminatedJobs}): one Released otherwise (its VM deleted by someone else)
 * is left alone, and said so in the log once.
 */
final class ReleasedVolumeSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReleasedVolumeSweeper.class);
    /** The informer's index of volumes by their job's id. */
    private static final String BY_JOB = "sweeper-job";
    /** The plugin's PersistentVolumes (as the object cache follows them). */
    static final Followed FOLLOWED = Followed.labelled(ResourceDefinitionContext.fromResourceType(
            PersistentVolume.class), VmJobLabels.MANAGED_BY, VmJobLabels.MANAGER);

    private final SharedInformers informers;
    private final ObjectReconciler reconciler;
    private final Executor executor;
    private final Set<String> held = new HashSet<>();       // guarded by this
    private final Set<String> deleting = new HashSet<>();   // guarded by this
    private final Set<String> leftAlone = new HashSet<>();  // guarded by this
    private volatile Predicate<String> terminated;
    private volatile SharedIndexInformer<GenericKubernetesResource> volumes;
    private ResourceEventHandler<GenericKubernetesResource> handler;

    ReleasedVolumeSweeper(SharedInformers informers, ObjectReconciler reconciler, Executor executor) {
        this.informers = requireNonNull(informers, "informers is null");
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /**
     * Lists the volumes, deletes those Released, and follows them.
     *
     * @param terminatedJobs whether a job was terminated by this IM (asked for adopted volumes only)
     */
    void start(Predicate<String> terminatedJobs) {
        if (volumes != null) {
            throw new IllegalStateException("the sweeper has started already");
        }
        terminated = requireNonNull(terminatedJobs, "terminatedJobs is null");
        handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource volume) {
                consider(volume);
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                consider(after);
            }

            @Override
            public void onDelete(GenericKubernetesResource volume, boolean finalStateUnknown) {
            }
        };
        // Told of every volume the informer holds already, then of each change, and of all again each resync.
        volumes = informers.handleWithResync(FOLLOWED, handler);
        volumes.addIndexers(Map.of(BY_JOB, volume -> java.util.List.of(jobOf(volume))));
        informers.start();
    }

    /** A volume of the plugin's as the informer last saw it; empty when it saw none (or has not started). */
    Optional<GenericKubernetesResource> seen(String name) {
        SharedIndexInformer<GenericKubernetesResource> informer = volumes;
        return informer == null ? Optional.empty() : Optional.ofNullable(informer.getStore().getByKey(name));
    }

    /** Keeps the job's volumes, Released or not, until {@link #release}. */
    synchronized void hold(String jobId) {
        held.add(requireNonNull(jobId, "jobId is null"));
    }

    /** Lets the job's volumes go, and deletes those that are Released now. */
    void release(String jobId) {
        synchronized (this) {
            held.remove(jobId);
        }
        if (volumes != null) {
            // By the index: the store keeps volumes compact, and decoding every one per job would grow with the jobs.
            volumes.getIndexer().byIndex(BY_JOB, jobId).forEach(this::consider);
        }
    }

    @Override
    public void close() {
        SharedIndexInformer<GenericKubernetesResource> informer = volumes;
        if (informer != null) {
            informer.removeEventHandler(handler);
        }
    }

    private void consider(GenericKubernetesResource volume) {
        if (!"Released".equals(volume.get("status", "phase"))
                || volume.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String name = volume.getMetadata().getName();
        if (adopted(volume) && !terminated.test(jobOf(volume))) {
            synchronized (this) {
                if (!leftAlone.add(name)) {
                    return;
                }
            }
            log.info("The volume {} of job {}, adopted from UCloud's IM, is Released but this IM never terminated "
                    + "the job: it is left alone", name, jobOf(volume));
            return;
        }
        synchronized (this) {
            if (held.contains(jobOf(volume)) || !deleting.add(name)) {
                return;
            }
        }
        try {
            executor.execute(() -> delete(name, jobOf(volume)));
        } catch (RejectedExecutionException closing) {
            done(name);
        }
    }

    private void delete(String name, String jobId) {
        try {
            synchronized (this) {
                if (held.contains(jobId)) {
                    return;
                }
            }
            reconciler.deleteVolume(name);
        } catch (RuntimeException e) {
            log.warn("Deleting the released volume {} failed; it is tried again: {}", name, e.getMessage());
        } finally {
            done(name);
        }
    }

    private synchronized void done(String name) {
        deleting.remove(name);
    }

    private static boolean adopted(GenericKubernetesResource volume) {
        Map<String, String> annotations = volume.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(VmJobLabels.ADOPTED));
    }

    private static String jobOf(GenericKubernetesResource volume) {
        Map<String, String> labels = volume.getMetadata().getLabels();
        return labels == null ? "" : labels.getOrDefault(VmJobLabels.JOB_ID, "");
    }
}
