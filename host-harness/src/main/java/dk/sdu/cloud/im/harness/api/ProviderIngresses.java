package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.network.links.LinkBindings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkSettings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Core's public link calls ({@code ingresses.provider.<id>.*}, UCloud's {@code ingresses.go}) under
 * {@code /ucloud/<provider>/ingresses}:
 * <ul>
 *   <li>{@code POST} (create) {@code {"items": [Ingress]}} -> {@code {"responses": [null]}}: each link's domain
 *       must follow {@link dk.sdu.cloud.im.harness.network.links.LinkDomains} and be used by no other link;</li>
 *   <li>{@code DELETE} (delete) {@code {"items": [Ingress]}} -> {@code {"responses": [{}]}}: a link a job that has
 *       not ended still uses is refused, as in UCloud; an unknown link is already gone;</li>
 *   <li>{@code POST .../verify}, {@code .../updateAcl}, {@code .../onUpdatedLabels}: accepted; links are held by
 *       their owner (person or project), so neither ACLs nor labels change what this provider does;</li>
 *   <li>{@code GET|POST .../retrieveProducts} -> {@code {"responses": [{"domainPrefix", "domainSuffix",
 *       "product": {id, category, provider}}]}}, none when links are not enabled.</li>
 * </ul>
 * A request is checked whole first; a bad item refuses it (400, each item's problem named) and nothing is stored.
 */
final class ProviderIngresses {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderIngresses.class);

    private final PublicLinkSettings settings;
    private final PublicLinkStore links;
    private final LinkBindings bindings;
    private final String providerId;
    private final RequestBodies bodies;

    ProviderIngresses(PublicLinkSettings settings, PublicLinkStore links, LinkBindings bindings, String providerId,
                      RequestBodies bodies) {
        this.settings = requireNonNull(settings, "settings is null");
        this.links = requireNonNull(links, "links is null");
        this.bindings = requireNonNull(bindings, "bindings is null");
        this.providerId = requireNonNull(providerId, "providerId is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
    }

    Map<String, Object> create(JsonNode body) {
        List<JsonNode> items = bodies.items(body);
        requireEnabled();
        Problems problems = new Problems();
        List<PublicLink> accepted = new ArrayList<>();
        Map<String, String> domainsInRequest = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Optional<PublicLink> link = parse(items.get(i), i, problems);
            if (link.isEmpty()) {
                continue;
            }
            String id = link.get().id();
            String domain = link.get().domain();
            Optional<String> rule = settings.domains().problem(domain);
            if (rule.isPresent()) {
                problems.reject(i, id, "items[" + i + "].specification.domain: " + rule.get());
                continue;
            }
            Optional<PublicLink> holder = links.findByDomain(domain).filter(other -> !other.id().equals(id));
            String earlier = domainsInRequest.putIfAbsent(domain, id);
            if (holder.isPresent() || (earlier != null && !earlier.equals(id))) {
                problems.reject(i, id, "items[" + i + "].specification.domain: domain '" + domain
                        + "' is already used by another public link; domains must be unique");
                continue;
            }
            Optional<PublicLink> existing = links.find(id).filter(other -> !other.domain().equals(domain));
            if (existing.isPresent()) {
                problems.reject(i, id, "items[" + i + "].id: public link " + id + " already exists with domain '"
                        + existing.get().domain() + "'; a link's domain cannot change");
                continue;
            }
            accepted.add(link.get());
        }
        problems.throwIfAny(400, rejectedWhy(problems.count(), items.size(), "no public link was created"));
        links.putAll(accepted);
        LOG.info("Public links created: {}", accepted.stream().map(l -> l.id() + " (" + l.domain() + ")")
                .collect(Collectors.joining(", ")));
        List<Object> responses = new ArrayList<>();
        // No provider-generated id: Core's id is the link's id here.
        accepted.forEach(link -> responses.add(null));
        return responses(responses);
    }

    Map<String, Object> delete(JsonNode body) {
        List<JsonNode> items = bodies.items(body);
        Problems problems = new Problems();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Optional<String> id = idOf(items.get(i), i, problems);
            if (id.isEmpty()) {
                continue;
            }
            List<LinkBindings.Binding> users = links.find(id.get()).isPresent() ? bindings.jobsUsing(id.get())
                    : List.of();
            if (!users.isEmpty()) {
                problems.reject(i, id.get(), "items[" + i + "]: public link " + id.get()
                        + " is in use by job " + users.stream().map(u -> u.job().id())
                        .collect(Collectors.joining(", ")) + "; stop the job or remove the link from it first");
                continue;
            }
            ids.add(id.get());
        }
        problems.throwIfAny(400, rejectedWhy(problems.count(), items.size(), "no public link was deleted"));
        links.removeAll(ids);
        LOG.info("Public links deleted: {}", String.join(", ", ids));
        return emptyResponses(items.size());
    }

    /** {@code verify}, {@code updateAcl}, {@code onUpdatedLabels}: checked for shape, nothing to change. */
    Map<String, Object> acknowledge(JsonNode body) {
        List<JsonNode> items = bodies.items(body);
        Problems problems = new Problems();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            JsonNode resource = item.has("resource") ? item.get("resource") : item;
            idOf(resource, i, problems);
        }
        problems.throwIfAny(400, rejectedWhy(problems.count(), items.size(), "nothing was changed"));
        return emptyResponses(items.size());
    }

    Map<String, Object> retrieveProducts() {
        if (!settings.linksEnabled()) {
            return responses(List.of());
        }
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", settings.productName());
        product.put("category", settings.productName());
        product.put("provider", providerId);
        Map<String, Object> support = new LinkedHashMap<>();
        support.put("domainPrefix", settings.domains().prefix());
        support.put("domainSuffix", settings.domains().suffix());
        support.put("product", product);
        return responses(List.of(support));
    }

    private void requireEnabled() {
        if (!settings.linksEnabled()) {
            throw ApiException.badRequest("public links are not offered by this provider "
                    + "(services.compute.publicLinks.enabled is false); no public link was created");
        }
    }

    private Optional<PublicLink> parse(JsonNode item, int index, Problems problems) {
        Optional<String> id = idOf(item, index, problems);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String path = "items[" + index + "]";
        String createdBy = text(item.path("owner").get("createdBy"));
        if (createdBy == null) {
            problems.reject(index, id.get(), path + ".owner.createdBy: the link's owner is missing");
            return Optional.empty();
        }
        String project = text(item.path("owner").get("project"));
        JsonNode product = item.path("specification").path("product");
        String productId = text(product.get("id"));
        String category = text(product.get("category"));
        String provider = text(product.get("provider"));
        if (!settings.productName().equals(productId) || !settings.productName().equals(category)
                || (provider != null && !providerId.equals(provider))) {
            problems.reject(index, id.get(), path + ".specification.product: expected {\"id\": \""
                    + settings.productName() + "\", \"category\": \"" + settings.productName() + "\", \"provider\": \""
                    + providerId + "\"}, got " + RequestBodies.describe(product.isMissingNode() ? null : product));
            return Optional.empty();
        }
        JsonNode domain = item.path("specification").get("domain");
        if (domain == null || !domain.isString()) {
            problems.reject(index, id.get(), path + ".specification.domain: the link's domain is missing");
            return Optional.empty();
        }
        return Optional.of(new PublicLink(id.get(), new ResourceOwner(createdBy, project), domain.asString()));
    }

    private static Optional<String> idOf(JsonNode item, int index, Problems problems) {
        if (!item.isObject()) {
            problems.reject(index, null, "items[" + index + "]: expected a public link {\"id\": ..., \"owner\": ..., "
                    + "\"specification\": {\"domain\": ...}}, got " + RequestBodies.describe(item));
            return Optional.empty();
        }
        String id = text(item.get("id"));
        if (id == null) {
            problems.reject(index, null, "items[" + index + "].id: the link's id is missing");
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static Map<String, Object> emptyResponses(int count) {
        List<Object> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(Map.of());
        }
        return responses(responses);
    }

    private static Map<String, Object> responses(List<Object> responses) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("responses", responses);
        return answer;
    }

    private static String rejectedWhy(int bad, int total, String consequence) {
        return bad + " of " + total + (total == 1 ? " item was" : " items were") + " rejected; " + consequence;
    }
}
