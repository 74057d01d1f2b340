package dk.sdu.cloud.im.kubevirt.informers;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What one informer follows: the objects of a kind (in the plugin's namespace when the kind is namespaced) that
 * carry some labels with given values and some others with any value, and what it keeps of each.
 *
 * @param context    the kind
 * @param labels     labels an object must have with these values
 * @param present    labels an object must have, whatever their value
 * @param keep       what is kept of each object
 */
public record Followed(ResourceDefinitionContext context, Map<String, String> labels, Set<String> present,
                       Keep keep) {
    public Followed {
        requireNonNull(context, "context is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        present = Set.copyOf(requireNonNull(present, "present is null"));
        requireNonNull(keep, "keep is null");
    }

    /** The whole objects of a kind with one label of a given value. */
    public static Followed labelled(ResourceDefinitionContext context, String label, String value) {
        return new Followed(context, Map.of(label, value), Set.of(), Keep.WHOLE);
    }

    /** The same selection, keeping this of each object. */
    public Followed keeping(Keep other) {
        return new Followed(context, labels, present, other);
    }

    /** Two selections with the same key share one informer. */
    String key() {
        return context.getPlural() + "." + context.getGroup() + "/" + context.getVersion() + " "
                + new TreeMap<>(labels) + " " + new TreeSet<>(present) + " " + keep;
    }
}
