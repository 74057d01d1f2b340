package dk.sdu.cloud.im.harness.config;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which keys the bound records read, per mapping: the basis of the unknown-key check. A mapping is
 * "checked" when some record was bound at its path; then every key in it that no record (of any binding)
 * reads is unknown. Mappings bound as free-form maps, and subtrees explicitly left unchecked, are not
 * looked into.
 */
public final class KeyCoverage {
    private final Map<String, Set<String>> allowedKeys = new LinkedHashMap<>();
    private final Set<String> unchecked = new HashSet<>();

    /** Records that the mapping at {@code path} is read by a record that knows these keys. */
    public void allow(String path, Collection<String> keys) {
        allowedKeys.computeIfAbsent(path, p -> new TreeSet<>()).addAll(keys);
    }

    /** Makes every key on the way to {@code path} known, so that the check reaches it. */
    public void allowPathTo(String path) {
        String parent = "";
        for (String key : KeyPaths.keys(path)) {
            allow(parent, List.of(key));
            parent = KeyPaths.child(parent, key);
        }
    }

    /** Leaves the subtree at {@code path} out of the check (its owner is unknown, or it is free-form). */
    public void leaveUnchecked(String path) {
        unchecked.add(path);
    }

    /** The keys records read in the mapping at {@code path}; empty when no record was bound there. */
    public Set<String> allowedKeys(String path) {
        return Set.copyOf(allowedKeys.getOrDefault(path, Set.of()));
    }

    /**
     * The paths of single values read by records: keys of checked mappings that are not themselves
     * checked mappings, e.g. {@code services.compute.virtualMachines.storage.type}.
     */
    public Set<String> valuePaths() {
        Set<String> values = new TreeSet<>();
        allowedKeys.forEach((path, keys) -> {
            for (String key : keys) {
                String child = KeyPaths.child(path, key);
                if (!allowedKeys.containsKey(child)) {
                    values.add(child);
                }
            }
        });
        return values;
    }

    /** A copy, to keep what one binding read apart from what later ones add. */
    public KeyCoverage copy() {
        KeyCoverage copy = new KeyCoverage();
        allowedKeys.forEach(copy::allow);
        copy.unchecked.addAll(unchecked);
        return copy;
    }

    /** One problem per key that no record reads, with a suggestion and the keys allowed beside it. */
    public List<ConfigProblem> unknownKeys(JsonNode root) {
        List<ConfigProblem> problems = new ArrayList<>();
        walk(root, "", problems);
        return problems;
    }

    private void walk(JsonNode node, String path, List<ConfigProblem> problems) {
        if (node == null || unchecked.contains(path)) {
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), KeyPaths.element(path, i), problems);
            }
            return;
        }
        Set<String> allowed = allowedKeys.get(path);
        if (!node.isObject() || allowed == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            String childPath = KeyPaths.child(path, key);
            if (allowed.contains(key)) {
                walk(entry.getValue(), childPath, problems);
            } else {
                problems.add(new ConfigProblem(childPath, "unknown key '" + key + "'"
                        + Suggestions.didYouMean(key, allowed)
                        + "; known keys here: " + String.join(", ", allowed)));
            }
        }
    }
}
