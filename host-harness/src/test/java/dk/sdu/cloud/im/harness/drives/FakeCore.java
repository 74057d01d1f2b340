package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.core.CoreCallException;
import dk.sdu.cloud.im.harness.core.CoreTransport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * UCloud/Core's drive and share control calls in memory, counting every call: drives by id (with their
 * providerGeneratedId), shares by id, registrations (409 for a providerGeneratedId it has), a browse by
 * {@code filterProviderIds}. {@link #down(int)} makes every call fail with that status (0: no answer).
 */
final class FakeCore implements CoreTransport {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, ObjectNode> drives = new LinkedHashMap<>();
    private final Map<String, String> shares = new LinkedHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> queries = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private int nextId = 100;
    private volatile int downStatus = -1;

    /** Core has drive {@code id}, made with {@code providerGeneratedId} (null: a collection). */
    synchronized FakeCore drive(String id, String providerGeneratedId, String createdBy, String project) {
        ObjectNode drive = JSON.createObjectNode();
        drive.put("id", id);
        drive.putObject("specification").put("title", "Drive " + id).putObject("product")
                .put("id", "storage").put("category", "storage").put("provider", "k8s");
        ObjectNode owner = drive.putObject("owner");
        owner.put("createdBy", createdBy);
        if (project == null) {
            owner.putNull("project");
        } else {
            owner.put("project", project);
        }
        if (providerGeneratedId != null) {
            drive.put("providerGeneratedId", providerGeneratedId);
        }
        drive.put("createdAt", 1_700_000_000_000L);
        drives.put(id, drive);
        return this;
    }

    /** Core has share {@code id} of {@code sourceFilePath}. */
    synchronized FakeCore share(String id, String sourceFilePath) {
        shares.put(id, sourceFilePath);
        return this;
    }

    /** Every call fails with {@code status} from now on (0: no answer); -1 answers again. */
    FakeCore down(int status) {
        downStatus = status;
        return this;
    }

    /** Calls so far, as {@code "GET <path>"} / {@code "POST <path>"}. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    List<Map<String, String>> queries() {
        return List.copyOf(queries);
    }

    List<JsonNode> bodies() {
        return List.copyOf(bodies);
    }

    synchronized boolean knows(String providerGeneratedId) {
        return drives.values().stream().anyMatch(d -> providerGeneratedId.equals(
                d.path("providerGeneratedId").asString(null)));
    }

    @Override
    public synchronized JsonNode post(String path, Object body) throws CoreCallException {
        calls.add("POST " + path);
        JsonNode json = JSON.valueToTree(body);
        bodies.add(json);
        failIfDown("POST " + path);
        if (!path.equals(CoreDrives.REGISTER)) {
            throw new CoreCallException("POST " + path, 404, "no such call");
        }
        List<ObjectNode> responses = new ArrayList<>();
        for (JsonNode item : json.path("items")) {
            String providerGeneratedId = item.path("providerGeneratedId").asString();
            if (knows(providerGeneratedId)) {
                throw new CoreCallException("POST " + path, 409, "already exists");
            }
            String id = String.valueOf(nextId++);
            drive(id, providerGeneratedId, item.path("createdBy").asString(),
                    item.path("project").isNull() ? null : item.path("project").asString());
            responses.add(JSON.createObjectNode().put("id", id));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.putArray("responses").addAll(responses);
        return answer;
    }

    @Override
    public synchronized JsonNode get(String path, Map<String, String> query) throws CoreCallException {
        calls.add("GET " + path);
        queries.add(Map.copyOf(query));
        failIfDown("GET " + path);
        switch (path) {
            case CoreDrives.RETRIEVE -> {
                ObjectNode drive = drives.get(query.get("id"));
                if (drive == null) {
                    throw new CoreCallException("GET " + path, 404, "Not found");
                }
                return drive;
            }
            case CoreDrives.BROWSE -> {
                ObjectNode page = JSON.createObjectNode();
                var items = page.putArray("items");
                String wanted = query.get("filterProviderIds");
                drives.values().stream()
                        .filter(d -> wanted != null && wanted.equals(d.path("providerGeneratedId").asString(null)))
                        .forEach(items::add);
                page.putNull("next");
                page.put("itemsPerPage", 1000);
                return page;
            }
            case CoreDrives.RETRIEVE_SHARE -> {
                String source = shares.get(query.get("id"));
                if (source == null) {
                    throw new CoreCallException("GET " + path, 404, "Not found");
                }
                ObjectNode share = JSON.createObjectNode();
                share.put("id", query.get("id"));
                share.putObject("specification").put("sharedWith", "bob").put("sourceFilePath", source);
                share.putObject("status").put("state", "APPROVED");
                return share;
            }
            default -> throw new CoreCallException("GET " + path, 404, "no such call");
        }
    }

    private void failIfDown(String call) throws CoreCallException {
        int status = downStatus;
        if (status >= 0) {
            throw new CoreCallException(call, status, status == 0 ? "connection refused" : "Core is unwell");
        }
    }
}
