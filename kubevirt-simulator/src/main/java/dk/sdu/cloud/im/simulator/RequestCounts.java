package dk.sdu.cloud.im.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Requests counted by a {@link RequestCounter} up to a moment.
 *
 * @param byVerb            requests per verb (verbs with no request are absent)
 * @param byVerbAndResource requests per {@code "<verb> <resource>"}, e.g. {@code "create services"}
 */
public record RequestCounts(Map<ApiVerb, Long> byVerb, Map<String, Long> byVerbAndResource) {

    public RequestCounts {
        requireNonNull(byVerb, "byVerb is null");
        requireNonNull(byVerbAndResource, "byVerbAndResource is null");
        byVerb = Map.copyOf(byVerb);
        byVerbAndResource = Map.copyOf(byVerbAndResource);
    }

    /** Requests of one verb. */
    public long of(ApiVerb verb) {
        return byVerb.getOrDefault(verb, 0L);
    }

    /** All requests. */
    public long total() {
        return byVerb.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests that change something (create, update, patch, delete, deletecollection). */
    public long writes() {
        return byVerb.entrySet().stream().filter(e -> e.getKey().isWrite()).mapToLong(Map.Entry::getValue).sum();
    }

    /** What was counted since an earlier snapshot. */
    public RequestCounts minus(RequestCounts earlier) {
        Map<ApiVerb, Long> verbs = new EnumMap<>(ApiVerb.class);
        byVerb.forEach((verb, count) -> {
            long difference = count - earlier.of(verb);
            if (difference != 0) {
                verbs.put(verb, difference);
            }
        });
        Map<String, Long> resources = new TreeMap<>();
        byVerbAndResource.forEach((key, count) -> {
            long difference = count - earlier.byVerbAndResource().getOrDefault(key, 0L);
            if (difference != 0) {
                resources.put(key, difference);
            }
        });
        return new RequestCounts(verbs, resources);
    }

    /** One line per verb in the verbs' order, e.g. {@code get=3 create=7}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (ApiVerb verb : ApiVerb.values()) {
            long count = of(verb);
            if (count != 0) {
                text.append(text.length() == 0 ? "" : " ").append(verb.name().toLowerCase(java.util.Locale.ROOT))
                        .append('=').append(count);
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
