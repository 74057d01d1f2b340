package dk.sdu.cloud.im.kubevirt.informers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The plugin's informers: one per kind and selection ({@link Followed}), made when first asked for and shared by
 * all who ask for the same, so that a kind followed by several parts of the plugin is listed, watched and kept
 * once. Each keeps its objects in a {@link CompactStore}.
 *
 * <p>Users ask for their informers and add their handlers and indexes, then call {@link #start()}, which starts
 * the informers not started yet and returns once every informer has its first list. A handler added to an
 * informer that runs already is first told of every object it holds (as additions). Opening makes one list
 * and one watch per informer, whatever the number of jobs.
 */
public final class SharedInformers implements AutoCloseable {

    /**
     * How often an informer checks for handlers due for a resync. A handler gets one only when added with
     * {@link #handleWithResync} (a resync tells a handler of every object again).
     */
    public static final long RESYNC_MILLIS = 60_000;

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Entry> informers = new LinkedHashMap<>();   // guarded by this
    /** Each informer's store, for reads of versions without the lock (an informer is never replaced). */
    private final Map<SharedIndexInformer<GenericKubernetesResource>, CompactStore> stores =
            new java.util.concurrent.ConcurrentHashMap<>();
    private boolean closed;   // guarded by this

    private static final class Entry {
        final SharedIndexInformer<GenericKubernetesResource> informer;
        final CompactStore store;
        CompletableFuture<Void> started;

        Entry(SharedIndexInformer<GenericKubernetesResource> informer, CompactStore store) {
            this.informer = informer;
            this.store = store;
        }
    }

    /**
     * @param client    the Kubernetes client the informers list and watch with
     * @param namespace the namespace of the namespaced kinds
     */
    public SharedInformers(KubernetesClient client, String namespace) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** The client the informers use (for reads that must not come from an informer). */
    public KubernetesClient client() {
        return client;
    }

    /** The namespace of the namespaced kinds. */
    public String namespace() {
        return namespace;
    }

    /** The informer of a selection: the one made before for the same selection, else a new one (not started). */
    public synchronized SharedIndexInformer<GenericKubernetesResource> informer(Followed followed) {
        requireNonNull(followed, "followed is null");
        if (closed) {
            throw new IllegalStateException("the informers are closed");
        }
        return informers.computeIfAbsent(followed.key(), key -> make(followed)).informer;
    }

    /** Adds a handler to a selection's informer, without periodic resyncs. */
    public SharedIndexInformer<GenericKubernetesResource> handle(
            Followed followed, ResourceEventHandler<? super GenericKubernetesResource> handler) {
        return informer(followed).addEventHandlerWithResyncPeriod(handler, 0);
    }

    /** Adds a handler to a selection's informer, told of every object again every {@link #RESYNC_MILLIS}. */
    public SharedIndexInformer<GenericKubernetesResource> handleWithResync(
            Followed followed, ResourceEventHandler<? super GenericKubernetesResource> handler) {
        return informer(followed).addEventHandlerWithResyncPeriod(handler, RESYNC_MILLIS);
    }

    /** The key of an object of a kind in an informer's store. */
    public String storeKey(ResourceDefinitionContext context, String name) {
        return context.isNamespaceScoped() ? namespace + "/" + name : name;
    }

    /**
     * The {@code resourceVersion} of the object an informer of these shows under a store key, without decoding
     * the object; null when it shows none.
     *
     * @throws IllegalArgumentException when the informer is not one of these
     */
    public String resourceVersion(SharedIndexInformer<GenericKubernetesResource> informer, String storeKey) {
        CompactStore store = stores.get(requireNonNull(informer, "informer is null"));
        if (store == null) {
            throw new IllegalArgumentException("the informer is not one of these shared informers");
        }
        return store.resourceVersion(requireNonNull(storeKey, "storeKey is null"));
    }

    /** Starts the informers not started yet; returns once every informer has its first list. */
    public void start() {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the informers are closed");
            }
            for (Entry entry : informers.values()) {
                if (entry.started == null) {
                    entry.started = entry.informer.start().toCompletableFuture();
                }
                waits.add(entry.started);
            }
        }
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
    }

    /** How many informers there are (for tests and logs). */
    public synchronized int size() {
        return informers.size();
    }

    /**
     * Stops every informer and drops what it held (a part that still holds an informer finds it empty). Closing
     * again does nothing.
     */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(informers.values());
        }
        for (Entry entry : all) {
            entry.informer.close();
            entry.store.clear();
        }
    }

    private Entry make(Followed followed) {
        ResourceDefinitionContext context = followed.context();
        FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList,
                Resource<GenericKubernetesResource>> selected = context.isNamespaceScoped()
                ? client.genericKubernetesResources(context).inNamespace(namespace)
                : client.genericKubernetesResources(context);
        for (Map.Entry<String, String> label : followed.labels().entrySet()) {
            selected = selected.withLabel(label.getKey(), label.getValue());
        }
        for (String label : followed.present()) {
            selected = selected.withLabel(label);
        }
        SharedIndexInformer<GenericKubernetesResource> informer = selected.runnableInformer(RESYNC_MILLIS);
        // Each informer follows one namespace (or a cluster-scoped kind): an index by namespace would only cost an
        // entry per object.
        informer.removeNamespaceIndex();
        CompactStore store = new CompactStore(client.getKubernetesSerialization(), followed.keep());
        informer.itemStore(store);
        stores.put(informer, store);
        return new Entry(informer, store);
    }
}
