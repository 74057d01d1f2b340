package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.network.privatenet.PrivateNetworkStore;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * UCloud's provider API of private networks, {@code /ucloud/<provider>/private-networks} (Core's calls, as
 * UCloud's {@code orchestrators/private_network.go} names them; served as {@link ProviderCall}s, authenticated and
 * checked for the provider id as every provider call):
 * <ul>
 *   <li>{@code POST} (create) {@code {"items": [PrivateNetwork]}} -> {@code {"responses": [{"id": ""}]}}:
 *       all or none; refused with 400 naming each bad item (a missing id or owner, a name that is empty, longer
 *       than 256 characters or has control characters, a subdomain that is no DNS label, too long, or
 *       reserved) and 409 when the subdomain is taken (ignoring case) or the id names another network</li>
 *   <li>{@code DELETE} {@code {"items": [PrivateNetwork]}} -> {@code {"responses": [{}]}}: refused with 400 when a
 *       network still has members (its {@code status.members}); an unknown network is fine</li>
 *   <li>{@code POST .../verify} {@code {"items": [PrivateNetwork]}} -> {@code {}}</li>
 *   <li>{@code GET|POST .../retrieveProducts} -> {@code {"responses": [{"product": {"id": "private-network",
 *       "category": "private-network", "provider"}}]}}</li>
 *   <li>{@code POST .../updateAcl}, {@code POST .../onUpdatedLabels}: accepted; the IM keeps no ACL (Core checks
 *       who may use a network, the backend who holds it)</li>
 * </ul>
 * The Kubernetes objects of a network are the compute backend's: made when a member starts, deleted when the
 * last member ends.
 */
public final class PrivateNetworkCalls {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateNetworkCalls.class);
    /** UCloud's product (and category) of private networks: free, one per network. */
    public static final String PRODUCT = "private-network";
    /** The calls' context below {@code /ucloud/<provider>/}, as UCloud's {@code private_network.go} names it. */
    public static final String CONTEXT = "private-networks";
    /** The longest name of a network, as UCloud states it. */
    static final int MAX_NAME_LENGTH = 256;

    private final String providerId;
    private final PrivateNetworkStore store;

    /**
     * @param providerId the provider id, named by the products
     * @param store      where networks are kept
     */
    public PrivateNetworkCalls(String providerId, PrivateNetworkStore store) {
        this.providerId = requireNonNull(providerId, "providerId is null");
        this.store = requireNonNull(store, "store is null");
    }

    /** The calls, for the provider API's server. */
    public List<ProviderCall> calls() {
        return List.of(
                new ProviderCall("POST", CONTEXT, this::create),
                new ProviderCall("DELETE", CONTEXT, this::delete),
                new ProviderCall("POST", CONTEXT + "/verify", this::accept),
                new ProviderCall("GET", CONTEXT + "/retrieveProducts", body -> retrieveProducts()),
                new ProviderCall("POST", CONTEXT + "/retrieveProducts", body -> retrieveProducts()),
                new ProviderCall("POST", CONTEXT + "/updateAcl", body -> responses(ProviderCall.items(body).size())),
                new ProviderCall("POST", CONTEXT + "/onUpdatedLabels", this::accept));
    }

    private Map<String, Object> accept(JsonNode body) {
        ProviderCall.items(body);
        return Map.of();
    }

    /** {@code private-networks.create}: all or none. */
    Map<String, Object> create(JsonNode body) {
        List<JsonNode> items = ProviderCall.items(body);
        List<PrivateNetwork> networks = new ArrayList<>();
        List<ApiError.ItemProblem> problems = new ArrayList<>();
        Map<String, Integer> subdomains = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String id = text(item, "id");
            List<String> why = new ArrayList<>();
            PrivateNetwork network = network(item, why);
            if (network != null) {
                Integer earlier = subdomains.putIfAbsent(network.subdomain().toLowerCase(Locale.ROOT), i);
                if (earlier != null) {
                    why.add("the subdomain '" + network.subdomain() + "' is also asked for by items[" + earlier + "]");
                }
            }
            if (why.isEmpty()) {
                networks.add(network);
            } else {
                problems.add(new ApiError.ItemProblem(i, id, String.join("; ", why)));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.of(400, problems.size() + " of " + items.size()
                    + " private networks cannot be created; none was", problems);
        }
        try {
            store.create(networks);
        } catch (IllegalStateException e) {
            throw new ApiException(409, ApiError.of(e.getMessage() + "; try a different one (no network was"
                    + " created)"));
        }
        networks.forEach(n -> LOG.info("Private network {} ({}, subdomain {}) created for {}", n.id(), n.name(),
                n.subdomain(), n.owner()));
        List<Map<String, Object>> responses = new ArrayList<>();
        networks.forEach(n -> responses.add(Map.of("id", "")));
        return Map.of("responses", responses);
    }

    /** {@code private-networks.delete}: all or none; a network with members stays. */
    Map<String, Object> delete(JsonNode body) {
        List<JsonNode> items = ProviderCall.items(body);
        List<String> ids = new ArrayList<>();
        List<ApiError.ItemProblem> problems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String id = text(item, "id");
            if (id == null || id.isBlank()) {
                problems.add(new ApiError.ItemProblem(i, null, "'id' is missing"));
                continue;
            }
            List<String> members = new ArrayList<>();
            item.path("status").path("members").forEach(m -> members.add(m.asString()));
            if (!members.isEmpty()) {
                problems.add(new ApiError.ItemProblem(i, id, "the private network is in use by job(s) "
                        + String.join(", ", members) + "; end them first"));
                continue;
            }
            ids.add(id);
        }
        if (!problems.isEmpty()) {
            throw ApiException.of(400, problems.size() + " of " + items.size()
                    + " private networks cannot be deleted; none was", problems);
        }
        store.delete(ids);
        ids.forEach(id -> LOG.info("Private network {} deleted", id));
        return responses(ids.size());
    }

    /** {@code private-networks.retrieveProducts}: UCloud's one free product. */
    Map<String, Object> retrieveProducts() {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", PRODUCT);
        product.put("category", PRODUCT);
        product.put("provider", providerId);
        return Map.of("responses", List.of(Map.of("product", product)));
    }

    private static Map<String, Object> responses(int count) {
        List<Map<String, Object>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(Map.of());
        }
        return Map.of("responses", responses);
    }

    /** The network an item describes, or null with the reasons added to {@code why}. */
    private static PrivateNetwork network(JsonNode item, List<String> why) {
        if (!item.isObject()) {
            why.add("an item must be a private network (a JSON object)");
            return null;
        }
        String id = text(item, "id");
        if (id == null || id.isBlank()) {
            why.add("'id' is missing");
        }
        String createdBy = text(item.path("owner"), "createdBy");
        if (createdBy == null || createdBy.isBlank()) {
            why.add("'owner.createdBy' is missing");
        }
        String project = text(item.path("owner"), "project");
        JsonNode specification = item.path("specification");
        String name = text(specification, "name");
        if (name == null || name.isBlank()) {
            why.add("'specification.name' is missing");
        } else if (name.length() > MAX_NAME_LENGTH || name.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT)) {
            why.add("'specification.name' must be at most " + MAX_NAME_LENGTH
                    + " characters without new lines or invisible characters");
        }
        String subdomain = text(specification, "subdomain");
        SubdomainRules.problem(subdomain).ifPresent(problem -> why.add("'specification.subdomain': " + problem));
        if (!why.isEmpty()) {
            return null;
        }
        return new PrivateNetwork(id, new ResourceOwner(createdBy, project), name, subdomain);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }
}
