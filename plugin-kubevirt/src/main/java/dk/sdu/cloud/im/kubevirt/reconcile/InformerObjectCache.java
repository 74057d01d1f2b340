package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.informers.Followed;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.MANAGED_BY;
import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.MANAGER;
import static java.util.Objects.requireNonNull;

/**
 * An {@link ObjectCache} fed by one shared informer per kind of a job's objects (VirtualMachines,
 * PersistentVolumes, PersistentVolumeClaims, Secrets, Services, NetworkPolicies, Ingresses), each selecting the
 * label {@code app.kubernetes.io/managed-by=ucloud-im}, so that it holds only the IM's own objects. The informers
 * are the plugin's {@link SharedInformers}: the state tracker, the SSH port allocator and the sweeper of Released
 * volumes follow VMs, Services and PersistentVolumes through the same ones. They are handed to it and closed by
 * whoever made them; closing the cache only takes its handlers off. Opening it makes one list and one watch per
 * kind, whatever the number of jobs.
 *
 * <p>Reads its own writes: what the reconciler reports ({@link #seen}, {@link #gone}) is kept aside until the
 * informer shows that version or a later one, so that a start right after a write does not act on the state
 * before it. Versions are compared as numbers when both are (etcd's and the mock server's are); otherwise only
 * the same version counts as caught up, and a stale entry costs at most one 409 and a read.
 *
 * <p>Objects are kept whole but compact (deflated JSON, without {@code metadata.managedFields}, which the plugin
 * neither compares nor writes); each look-up decodes a copy of its own.
 */
public final class InformerObjectCache implements ObjectCache, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InformerObjectCache.class);

    /** The kinds followed; a lookup of any other kind is {@link Lookup#UNKNOWN} (read from the API server). */
    static final List<ResourceDefinitionContext> FOLLOWED = List.of(
            KubeVirtApi.virtualMachines(),
            ResourceDefinitionContext.fromResourceType(PersistentVolume.class),
            ResourceDefinitionContext.fromResourceType(PersistentVolumeClaim.class),
            ResourceDefinitionContext.fromResourceType(Secret.class),
            ResourceDefinitionContext.fromResourceType(Service.class),
            ResourceDefinitionContext.fromResourceType(NetworkPolicy.class),
            ResourceDefinitionContext.fromResourceType(Ingress.class));

    private final SharedInformers shared;
    private final String namespace;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new LinkedHashMap<>();
    private final Map<String, Settle> handlers = new LinkedHashMap<>();
    /** What the IM wrote or read that the informers may not show yet, by {@link #key}. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean synced;

    /** What the IM saw on the API server: an object (with its version), or its absence (after that version). */
    private record Pending(HasMetadata object, String version) {
    }

    /** A cache on the plugin's shared informers (closed by whoever made them, not by the cache). */
    public InformerObjectCache(SharedInformers informers) {
        this.shared = requireNonNull(informers, "informers is null");
        this.namespace = informers.namespace();
    }

    /** The selection of a followed kind: the IM's own objects, whole. */
    public static Followed followed(ResourceDefinitionContext context) {
        return Followed.labelled(context, MANAGED_BY, MANAGER);
    }

    /** Lists every followed kind and watches it from then on; returns once the first lists are in. */
    public void start() {
        if (!informers.isEmpty()) {
            throw new IllegalStateException("the object cache has started already");
        }
        for (ResourceDefinitionContext context : FOLLOWED) {
            Settle settle = new Settle(context);
            informers.put(id(context), shared.handle(followed(context), settle));
            handlers.put(id(context), settle);
        }
        shared.start();
        synced = true;
        log.info("Caching the IM's objects of namespace {}: {}", namespace, informers.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().getStore().list().size()).toList());
    }

    @Override
    public Lookup lookup(ResourceDefinitionContext context, String name) {
        requireNonNull(name, "name is null");
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(id(context));
        if (!synced || informer == null) {
            return Lookup.UNKNOWN;
        }
        String storeKey = storeKey(context, name);
        GenericKubernetesResource cached = informer.getStore().getByKey(storeKey);
        String key = id(context) + "/" + storeKey;
        Pending own = pending.get(key);
        if (own != null) {
            if (!caughtUp(own, cached)) {
                return own.object() == null ? Lookup.ABSENT : Lookup.present(generic(own.object()));
            }
            pending.remove(key, own);
        }
        return cached == null ? Lookup.ABSENT : Lookup.present(cached);
    }

    @Override
    public void seen(ResourceDefinitionContext context, HasMetadata object) {
        requireNonNull(object, "object is null");
        if (!informers.containsKey(id(context))) {
            return;
        }
        String storeKey = storeKey(context, object.getMetadata().getName());
        String key = id(context) + "/" + storeKey;
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels != null && MANAGER.equals(labels.get(MANAGED_BY))) {
            Pending own = new Pending(object, object.getMetadata().getResourceVersion());
            pending.put(key, own);
            // The watch may have brought this version before the request that wrote it returned: then no event
            // is left to settle the entry, and it would stay. Checked after the put: an informer shows an object
            // in its store before it tells its handlers, so either this sees it or the handler comes after.
            if (caughtUp(own, shared.resourceVersion(informers.get(id(context)), storeKey))) {
                pending.remove(key, own);
            }
        } else {
            // Not one the informer would ever show (e.g. UCloud's IM's, not adopted yet): nothing to wait for.
            pending.remove(key);
        }
    }

    @Override
    public void gone(ResourceDefinitionContext context, String name) {
        requireNonNull(name, "name is null");
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(id(context));
        if (informer != null) {
            String storeKey = storeKey(context, name);
            String cachedVersion = shared.resourceVersion(informer, storeKey);
            if (cachedVersion == null) {
                pending.remove(id(context) + "/" + storeKey);   // the informer shows no such object either
            } else {
                pending.put(id(context) + "/" + storeKey, new Pending(null, cachedVersion));
            }
        }
    }

    /**
     * The objects of a followed kind as the informer shows them now (read-only; without the IM's writes that it
     * does not show yet), e.g. for what an IM that starts again resumes; empty for a kind not followed.
     */
    public List<GenericKubernetesResource> list(ResourceDefinitionContext context) {
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(id(context));
        return informer == null ? List.of() : informer.getStore().list();
    }

    /** Entries kept aside that the informers have not caught up with yet (for tests and benchmarks). */
    int pendingCount() {
        return pending.size();
    }

    @Override
    public void close() {
        synced = false;
        informers.forEach((id, informer) -> informer.removeEventHandler(handlers.get(id)));
    }

    /**
     * Whether the informer's object is at least as new as what the IM saw. For an absence: the informer no
     * longer shows the version that was deleted.
     */
    private static boolean caughtUp(Pending own, GenericKubernetesResource cached) {
        return caughtUp(own, cached == null ? null : cached.getMetadata().getResourceVersion());
    }

    /** {@link #caughtUp(Pending, GenericKubernetesResource)} by the version the informer shows (null: none). */
    private static boolean caughtUp(Pending own, String cachedVersion) {
        if (own.object() == null) {
            return cachedVersion == null || (!cachedVersion.equals(own.version())
                    && atLeast(cachedVersion, own.version()));
        }
        return cachedVersion != null && atLeast(cachedVersion, own.version());
    }

    /** What a lookup hands out: a typed object the reconciler wrote, as the generic one a read would give. */
    private GenericKubernetesResource generic(HasMetadata object) {
        return object instanceof GenericKubernetesResource generic ? generic
                : shared.client().getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    }

    private static boolean atLeast(String version, String other) {
        if (other == null || version.equals(other)) {
            return true;
        }
        try {
            return Long.parseLong(version) >= Long.parseLong(other);
        } catch (NumberFormatException opaque) {
            return false;
        }
    }

    private String storeKey(ResourceDefinitionContext context, String name) {
        return context.isNamespaceScoped() ? namespace + "/" + name : name;
    }

    private static String id(ResourceDefinitionContext context) {
        return context.getPlural() + "." + context.getGroup();
    }

    /** Drops what was kept aside for an object once its informer has caught up, so the map does not grow. */
    private final class Settle implements ResourceEventHandler<GenericKubernetesResource> {
        private final ResourceDefinitionContext context;

        Settle(ResourceDefinitionContext context) {
            this.context = context;
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            settle(object, object);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            settle(after, after);
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            settle(object, null);
        }

        private void settle(GenericKubernetesResource object, GenericKubernetesResource now) {
            String key = id(context) + "/" + storeKey(context, object.getMetadata().getName());
            pending.computeIfPresent(key, (k, own) -> caughtUp(own, now) ? null : own);
        }
    }
}
