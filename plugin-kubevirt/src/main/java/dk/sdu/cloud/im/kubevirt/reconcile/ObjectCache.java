package dk.sdu.cloud.im.kubevirt.reconcile;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the IM already knows of the cluster's objects of its jobs, so that a reconcile that finds everything as
 * wanted makes no request. A cache may lag behind the API server: what is read from it is only ever written
 * back with its {@code resourceVersion} (a stale one meets 409 Conflict and is read again from the API
 * server), and an object it says is missing is created (a 409 there means it exists: read it from the API).
 *
 * <p>The reconciler tells the cache what it wrote or read from the API server ({@link #seen}, {@link #gone}),
 * so that the IM reads its own writes even before the watch brings them.
 */
public interface ObjectCache {

    /** A cache that knows nothing: every read goes to the API server. */
    ObjectCache NONE = new ObjectCache() {
        @Override
        public Lookup lookup(ResourceDefinitionContext context, String name) {
            return Lookup.UNKNOWN;
        }

        @Override
        public void seen(ResourceDefinitionContext context, HasMetadata object) {
        }

        @Override
        public void gone(ResourceDefinitionContext context, String name) {
        }
    };

    /**
     * What the cache says of one object of the IM's namespace (or, for a cluster-scoped kind, of the cluster).
     * Only objects labelled {@code app.kubernetes.io/managed-by: ucloud-im} are cached: one without the label is
     * "absent" here, and its create meets 409.
     */
    Lookup lookup(ResourceDefinitionContext context, String name);

    /**
     * The object as the API server just returned it (created, updated, patched or read): typed or generic, as
     * the request returned it; the cache owns it from then on.
     */
    void seen(ResourceDefinitionContext context, HasMetadata object);

    /** The object was just deleted (or found missing) on the API server. */
    void gone(ResourceDefinitionContext context, String name);

    /**
     * The answer of {@link #lookup}.
     *
     * @param known  whether the cache follows the kind and has its first list; when false, ask the API server
     * @param object the object when it exists (read-only), else null
     */
    record Lookup(boolean known, GenericKubernetesResource object) {
        /** The cache cannot tell. */
        public static final Lookup UNKNOWN = new Lookup(false, null);
        /** The cache knows there is no such object. */
        public static final Lookup ABSENT = new Lookup(true, null);

        public Lookup {
            if (!known && object != null) {
                throw new IllegalArgumentException("an unknown lookup carries no object");
            }
        }

        /** The cache knows the object exists. */
        public static Lookup present(GenericKubernetesResource object) {
            return new Lookup(true, requireNonNull(object, "object is null"));
        }

        /** The object, when the cache knows it exists. */
        public Optional<GenericKubernetesResource> existing() {
            return Optional.ofNullable(object);
        }
    }
}
