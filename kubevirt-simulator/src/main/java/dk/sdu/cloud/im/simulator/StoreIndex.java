package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The CRUD store's keys by resource (plural), by resource and namespace, and by resource and name, so that a
 * request looks only at the objects it can be about: fabric8's store keeps every object in one map and tests
 * each key against the request's attributes, which made every request cost as much as the whole cluster.
 *
 * <p>An index narrows, never decides: the keys it hands out are still tested with {@link AttributeSet#matches}
 * (label and field selectors, api group, version), so a request sees exactly what a scan of the whole map
 * would have found. Within a resource the keys keep the store's order (the order of their last change), so a
 * list comes out as the scan gave it. A query that names no single resource is answered from all keys.
 *
 * <p>Not thread-safe: the store changes it only while it holds its write lock and the map's monitor, and reads it
 * with one of them held.
 */
final class StoreIndex {

    private record Part(String plural, String value) {
    }

    private final Map<String, Set<AttributeSet>> byPlural = new HashMap<>();
    private final Map<Part, Set<AttributeSet>> byNamespace = new HashMap<>();
    private final Map<Part, Set<AttributeSet>> byName = new HashMap<>();
    private final LongAdder keysTested = new LongAdder();

    /** Files a key the store holds now. */
    void add(AttributeSet key) {
        String plural = value(key, KubernetesAttributesExtractor.PLURAL);
        if (plural == null) {
            return;                 // no query that names a resource can match it
        }
        byPlural.computeIfAbsent(plural, p -> new LinkedHashSet<>()).add(key);
        String namespace = value(key, KubernetesAttributesExtractor.NAMESPACE);
        if (namespace != null) {
            byNamespace.computeIfAbsent(new Part(plural, namespace), p -> new LinkedHashSet<>()).add(key);
        }
        String name = value(key, KubernetesAttributesExtractor.NAME);
        if (name != null) {
            byName.computeIfAbsent(new Part(plural, name), p -> new LinkedHashSet<>()).add(key);
        }
    }

    /** Forgets a key the store no longer holds. */
    void remove(AttributeSet key) {
        String plural = value(key, KubernetesAttributesExtractor.PLURAL);
        if (plural == null) {
            return;
        }
        removeFrom(byPlural, plural, key);
        String namespace = value(key, KubernetesAttributesExtractor.NAMESPACE);
        if (namespace != null) {
            removeFrom(byNamespace, new Part(plural, namespace), key);
        }
        String name = value(key, KubernetesAttributesExtractor.NAME);
        if (name != null) {
            removeFrom(byName, new Part(plural, name), key);
        }
    }

    void clear() {
        byPlural.clear();
        byNamespace.clear();
        byName.clear();
    }

    /** Whether the query names a resource, so that {@link #matching} looks at that resource's keys only. */
    boolean narrows(AttributeSet query) {
        return required(query, KubernetesAttributesExtractor.PLURAL) != null;
    }

    /**
     * The keys that match a query: those of its resource (of its namespace, or of its name, when it names one),
     * else, when it names no resource, those of {@code everything}.
     */
    List<AttributeSet> matching(AttributeSet query, Supplier<Collection<AttributeSet>> everything) {
        List<AttributeSet> found = new ArrayList<>();
        for (AttributeSet key : candidates(query, everything)) {
            keysTested.increment();
            if (key.matches(query)) {
                found.add(key);
            }
        }
        return found;
    }

    /** How many keys have been tested against a query: what a request costs. */
    long keysTested() {
        return keysTested.sum();
    }

    private Collection<AttributeSet> candidates(AttributeSet query, Supplier<Collection<AttributeSet>> everything) {
        String plural = required(query, KubernetesAttributesExtractor.PLURAL);
        if (plural == null) {
            return everything.get();
        }
        String name = required(query, KubernetesAttributesExtractor.NAME);
        if (name != null) {
            return byName.getOrDefault(new Part(plural, name), Set.of());
        }
        String namespace = required(query, KubernetesAttributesExtractor.NAMESPACE);
        if (namespace != null) {
            return byNamespace.getOrDefault(new Part(plural, namespace), Set.of());
        }
        return byPlural.getOrDefault(plural, Set.of());
    }

    private static <P> void removeFrom(Map<P, Set<AttributeSet>> index, P part, AttributeSet key) {
        Set<AttributeSet> keys = index.get(part);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
            index.remove(part);
        }
    }

    // The one value a stored key has for an attribute, or null.
    private static String value(AttributeSet key, String name) {
        Attribute attribute = key.getAttribute(name);
        return attribute == null || attribute.getValues().size() != 1
                ? null : attribute.getValues().get(0).toString();
    }

    // The one value a query requires for an attribute (equality, no wildcard: fabric8's "*" equals any value).
    private static String required(AttributeSet query, String name) {
        Attribute attribute = query.getAttribute(name);
        if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
            return null;
        }
        String value = attribute.getValues().get(0).toString();
        return value == null || "*".equals(value) ? null : value;
    }
}
