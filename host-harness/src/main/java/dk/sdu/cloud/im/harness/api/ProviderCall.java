package dk.sdu.cloud.im.harness.api;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A call of Core's to the provider API that another part of the harness serves (a network resource's
 * {@code /ucloud/<providerId>/networkips}, ...): authenticated and checked for the provider id like the job
 * calls, its body parsed with the same limits, its errors thrown as {@link ApiException}s.
 *
 * @param method {@code GET}, {@code POST} or {@code DELETE}
 * @param path   the path after {@code /ucloud/<providerId>/}, e.g. {@code networkips/firewall}
 * @param action what it does with the body (JSON null for a GET) and answers, as JSON
 */
public record ProviderCall(String method, String path, Function<JsonNode, Object> action) {
    private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE");

    public ProviderCall {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(action, "action is null");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("a provider call is one of " + METHODS + ", got " + method);
        }
        if (path.startsWith("/") || path.isBlank()) {
            throw new IllegalArgumentException("a provider call's path is relative, got '" + path + "'");
        }
    }

    /**
     * The {@code items} of a bulk request, as the job calls read them.
     *
     * @throws ApiException 400 when there are none, or they are not an array
     */
    public static List<JsonNode> items(JsonNode body) {
        return RequestBodies.itemsOf(requireNonNull(body, "body is null"));
    }
}
