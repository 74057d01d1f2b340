package dk.sdu.cloud.im.harness.publicip;

import dk.sdu.cloud.im.harness.api.ApiError;
import dk.sdu.cloud.im.harness.api.ApiException;
import dk.sdu.cloud.im.harness.api.ProviderCall;
import dk.sdu.cloud.im.harness.core.CoreCallException;
import dk.sdu.cloud.im.harness.core.CorePublicIpControl;
import dk.sdu.cloud.im.harness.settings.PublicIpsConfig;
import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Core's provider API for public IPs, {@code /ucloud/<providerId>/networkips} (UCloud's call names, bulk
 * requests {@code {"items": [...]}}):
 * <ul>
 *   <li>{@code POST networkips} {@code [PublicIp]}: gives each a free address of the pool and tells Core
 *       ({@code networkips/control.update}: {@code READY}, the new address) -> {@code {"responses": [{"id": ""}]}}.
 *       All or nothing: when the pool has too few free addresses, or an item is bad, nothing is allocated (400
 *       naming the items); UCloud's IM refuses a one-item request the same way and leaves a larger one's failed
 *       items without an address, which Core cannot tell apart from success. An address Core refuses to take is
 *       freed again (502 naming the items).</li>
 *   <li>{@code DELETE networkips} {@code [PublicIp]}: frees their addresses; one bound to a job (Core's
 *       {@code status.boundTo}) is refused (400) and nothing is freed. Unknown ids are fine.</li>
 *   <li>{@code POST networkips/firewall} {@code [{"networkIp": PublicIp, "firewall": {"openPorts": [...]}}]}:
 *       every range is checked ({@link FirewallRules}); one bad range refuses the request (400 naming it) and
 *       nothing changes. The running jobs bound to a changed IP then apply it ({@link PublicIpChanges}).</li>
 *   <li>{@code GET|POST networkips/retrieveProducts}: the product of {@code services.compute.publicIps} when
 *       enabled, with firewall support; none otherwise.</li>
 *   <li>{@code POST networkips/verify}, {@code networkips/updateAcl}, {@code networkips/onUpdatedLabels}:
 *       accepted (the IM keeps no ACL nor labels of public IPs).</li>
 * </ul>
 * When {@code services.compute.publicIps.enabled} is false, create and firewall are refused (400).
 */
public final class PublicIpCalls {
    private static final Logger LOG = LoggerFactory.getLogger(PublicIpCalls.class);
    /** The provider API's context of public IPs. */
    public static final String CONTEXT = "networkips";

    private final PublicIpStore store;
    private final PublicIpsConfig config;
    private final String providerId;
    private final CorePublicIpControl core;
    private final PublicIpChanges changes;
    private final FirewallRules rules;
    private final Clock clock;

    public PublicIpCalls(PublicIpStore store, PublicIpsConfig config, String providerId, CorePublicIpControl core,
                         PublicIpChanges changes, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.config = requireNonNull(config, "config is null");
        this.providerId = requireNonNull(providerId, "providerId is null");
        this.core = requireNonNull(core, "core is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.rules = new FirewallRules(config.maxPorts());
    }

    /** The calls, to serve on the provider API. */
    public List<ProviderCall> calls() {
        return List.of(
                new ProviderCall("POST", CONTEXT, this::create),
                new ProviderCall("DELETE", CONTEXT, this::delete),
                new ProviderCall("POST", CONTEXT + "/verify", body -> accept(body)),
                new ProviderCall("POST", CONTEXT + "/firewall", this::firewall),
                new ProviderCall("GET", CONTEXT + "/retrieveProducts", body -> retrieveProducts()),
                new ProviderCall("POST", CONTEXT + "/retrieveProducts", body -> retrieveProducts()),
                new ProviderCall("POST", CONTEXT + "/updateAcl", this::acceptEach),
                new ProviderCall("POST", CONTEXT + "/onUpdatedLabels", body -> accept(body)));
    }

    Map<String, Object> create(JsonNode body) {
        requireEnabled();
        List<JsonNode> items = ProviderCall.items(body);
        List<ApiError.ItemProblem> problems = new ArrayList<>();
        List<NewPublicIp> wanted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = "items[" + i + "]";
            String id = text(item.path("id"));
            String createdBy = text(item.path("owner").path("createdBy"));
            if (id == null || createdBy == null) {
                problems.add(new ApiError.ItemProblem(i, id, path + ": a public IP needs an id and owner.createdBy"));
                continue;
            }
            FirewallRules.Checked firewall = rules.check(item.path("specification").get("firewall"),
                    path + ".specification.firewall");
            if (!firewall.ok()) {
                problems.add(new ApiError.ItemProblem(i, id, String.join("; ", firewall.problems())));
                continue;
            }
            wanted.add(new NewPublicIp(id, new ResourceOwner(createdBy, text(item.path("owner").path("project"))),
                    firewall.openPorts()));
        }
        if (!problems.isEmpty()) {
            throw ApiException.of(400, problems.size() + " of " + items.size()
                    + " public IPs were rejected; nothing was allocated", problems);
        }
        PoolState before = store.read();
        PoolState after;
        try {
            after = store.change(state -> state.allocate(wanted));
        } catch (PublicIpPoolException e) {
            throw ApiException.of(400, e.getMessage() + "; nothing was allocated", wanted.stream()
                    .filter(w -> before.allocation(w.id()).isEmpty())
                    .map(w -> new ApiError.ItemProblem(wanted.indexOf(w), w.id(), providerId
                            + " has no more IP addresses available"))
                    .toList());
        }
        List<ApiError.ItemProblem> refused = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Allocation allocation = after.allocation(wanted.get(i).id()).orElseThrow();
            try {
                core.ready(allocation.id(), allocation.externalAddress(), clock.millis());
                LOG.info("Public IP {} has the address {}", allocation.id(), allocation.externalAddress());
            } catch (CoreCallException e) {
                LOG.warn("Core did not take the address of public IP {}: {}", allocation.id(), e.getMessage());
                store.change(state -> state.release(allocation.id()));
                refused.add(new ApiError.ItemProblem(i, allocation.id(), "UCloud/Core did not take its address "
                        + allocation.externalAddress() + ": " + e.getMessage() + "; the address was freed"));
            }
        }
        if (!refused.isEmpty()) {
            throw ApiException.of(502, refused.size() + " of " + items.size()
                    + " public IPs could not be announced to UCloud/Core", refused);
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        wanted.forEach(w -> responses.add(Map.of("id", "")));
        return Map.of("responses", responses);
    }

    Map<String, Object> delete(JsonNode body) {
        List<JsonNode> items = ProviderCall.items(body);
        List<ApiError.ItemProblem> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String id = text(item.path("id"));
            if (id == null) {
                problems.add(new ApiError.ItemProblem(i, null, "items[" + i + "]: a public IP needs an id"));
                continue;
            }
            List<String> boundTo = new ArrayList<>();
            item.path("status").path("boundTo").forEach(job -> boundTo.add(job.asString()));
            if (!boundTo.isEmpty()) {
                problems.add(new ApiError.ItemProblem(i, id, "this IP is in use by job(s) "
                        + String.join(", ", boundTo) + "; detach it first"));
                continue;
            }
            ids.add(id);
        }
        if (!problems.isEmpty()) {
            throw ApiException.of(400, problems.size() + " of " + items.size()
                    + " public IPs cannot be deleted; nothing was freed", problems);
        }
        store.change(state -> {
            PoolState next = state;
            for (String id : ids) {
                next = next.release(id);
            }
            return next;
        });
        LOG.info("Public IPs deleted, their addresses are free: {}", ids);
        return Map.of("responses", ids.stream().map(id -> Map.of()).toList());
    }

    Map<String, Object> firewall(JsonNode body) {
        requireEnabled();
        List<JsonNode> items = ProviderCall.items(body);
        List<ApiError.ItemProblem> problems = new ArrayList<>();
        Map<String, List<PortRange>> wanted = new LinkedHashMap<>();
        PoolState now = store.read();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = "items[" + i + "]";
            String id = text(item.path("networkIp").path("id"));
            if (id == null) {
                problems.add(new ApiError.ItemProblem(i, null, path + ".networkIp.id: a public IP needs an id"));
                continue;
            }
            if (now.allocation(id).isEmpty()) {
                problems.add(new ApiError.ItemProblem(i, id, "public IP " + id + " has no address at this provider"));
                continue;
            }
            JsonNode firewall = item.get("firewall");
            if (firewall == null || firewall.isNull()) {
                problems.add(new ApiError.ItemProblem(i, id, path + ".firewall: missing"));
                continue;
            }
            FirewallRules.Checked checked = rules.check(firewall, path + ".firewall");
            if (!checked.ok()) {
                problems.add(new ApiError.ItemProblem(i, id, String.join("; ", checked.problems())));
                continue;
            }
            wanted.put(id, checked.openPorts());
        }
        if (!problems.isEmpty()) {
            throw ApiException.of(400, problems.size() + " of " + items.size()
                    + " firewalls were rejected; nothing was changed", problems);
        }
        try {
            store.change(state -> {
                PoolState next = state;
                for (Map.Entry<String, List<PortRange>> change : wanted.entrySet()) {
                    next = next.withFirewall(change.getKey(), change.getValue());
                }
                return next;
            });
        } catch (PublicIpPoolException e) {
            // Deleted between the check and the change.
            throw ApiException.badRequest(e.getMessage() + "; nothing was changed");
        }
        LOG.info("Firewalls changed: {}", wanted);
        wanted.keySet().forEach(changes::firewallChanged);
        return Map.of();
    }

    Map<String, Object> retrieveProducts() {
        if (!config.enabled()) {
            return Map.of("responses", List.of());
        }
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", config.name());
        product.put("category", config.name());
        product.put("provider", providerId);
        Map<String, Object> support = new LinkedHashMap<>();
        support.put("product", product);
        support.put("firewall", Map.of("enabled", true));
        return Map.of("responses", List.of(support));
    }

    private Map<String, Object> accept(JsonNode body) {
        ProviderCall.items(body);
        return Map.of();
    }

    private Map<String, Object> acceptEach(JsonNode body) {
        return Map.of("responses", ProviderCall.items(body).stream().map(item -> Map.of()).toList());
    }

    private void requireEnabled() {
        if (!config.enabled()) {
            throw ApiException.badRequest("public IPs are not offered by this provider "
                    + "(services.compute.publicIps.enabled is false)");
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }
}
