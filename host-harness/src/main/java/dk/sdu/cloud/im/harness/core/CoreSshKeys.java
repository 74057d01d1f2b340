package dk.sdu.cloud.im.harness.core;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The SSH keys of a job's owner, from Core ({@value LocalCore#SSH_KEYS} with {@code owner: true}, as UCloud's
 * KubeVirt integration asks), following {@code next} until Core says there is no more.
 */
public final class CoreSshKeys {
    /** A bound on pages, against a Core that keeps answering the same {@code next}. */
    static final int MAX_PAGES = 100;

    private final CoreTransport core;

    public CoreSshKeys(CoreTransport core) {
        this.core = requireNonNull(core, "core is null");
    }

    /**
     * The owner's public keys (the {@code specification.key} of each), in Core's order.
     *
     * @throws CoreCallException when Core cannot be asked, or answers something that is not a page of keys
     */
    public List<String> ownerKeys(String jobId) throws CoreCallException {
        requireNonNull(jobId, "jobId is null");
        List<String> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("jobId", jobId);
            request.put("owner", true);
            if (next != null) {
                request.put("next", next);
            }
            JsonNode answer = core.post(LocalCore.SSH_KEYS, request);
            JsonNode items = answer.path("items");
            if (!items.isArray()) {
                throw new CoreCallException("POST " + LocalCore.SSH_KEYS, 200, "Core's answer is not a page of SSH "
                        + "keys (no items)");
            }
            for (JsonNode item : items) {
                JsonNode key = item.path("specification").path("key");
                if (key.isString() && !key.asString().isBlank()) {
                    keys.add(key.asString().strip());
                }
            }
            JsonNode nextNode = answer.path("next");
            if (!nextNode.isString() || nextNode.asString().isEmpty()) {
                return List.copyOf(keys);
            }
            next = nextNode.asString();
            if (!seen.add(next)) {
                throw new CoreCallException("POST " + LocalCore.SSH_KEYS, 200, "Core answered the page '" + next
                        + "' twice");
            }
        }
        throw new CoreCallException("POST " + LocalCore.SSH_KEYS, 200, "Core's SSH keys of job " + jobId
                + " go on beyond " + MAX_PAGES + " pages");
    }
}
