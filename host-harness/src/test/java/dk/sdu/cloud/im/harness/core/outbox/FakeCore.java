package dk.sdu.cloud.im.harness.core.outbox;

import dk.sdu.cloud.im.harness.core.CoreCallException;
import dk.sdu.cloud.im.harness.core.CoreJobControl;
import dk.sdu.cloud.im.harness.core.CoreTransport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * UCloud/Core's job control calls as the outbox uses them, with switches: down (no answer), jobs that are gone
 * (404 as Core words it, and {@code false} from checkExistence), checkExistence failing, update messages Core
 * refuses (400 for the whole call), a status every update call gets. Counts calls and items; an item is named
 * {@code <job>:<status message>}.
 */
final class FakeCore implements CoreTransport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    volatile boolean down;
    volatile boolean existenceDown;
    /** When not 0, every update call is answered with this status. */
    volatile int updateStatus;
    final Set<String> goneJobs = ConcurrentHashMap.newKeySet();
    /** Jobs Core answers 404 for in an update, yet says exist. */
    final Set<String> inaccessibleJobs = ConcurrentHashMap.newKeySet();
    /** Status messages whose update Core refuses as bad. */
    final Set<String> refusedMessages = ConcurrentHashMap.newKeySet();
    /** Runs after Core accepted an update call, before the outbox hears of it. */
    volatile Runnable afterAccept = () -> { };

    /** When not 0, every label call is answered with this status. */
    volatile int labelStatus;
    /** Every job's labels Core accepted, as {@code <job>:<labels>}, in order. */
    final List<String> acceptedLabels = new ArrayList<>();

    /** Every call, answered or not. */
    int calls;
    /** Every update call Core accepted, its items in order. */
    final List<List<String>> accepted = new ArrayList<>();
    /** The number of items of every update call, accepted or not. */
    final List<Integer> updateCallSizes = new ArrayList<>();
    /** The jobs of every checkExistence call. */
    final List<List<String>> existenceCalls = new ArrayList<>();

    @Override
    public synchronized JsonNode post(String path, Object body) throws CoreCallException {
        JsonNode request = JSON.valueToTree(body);
        calls++;
        if (down) {
            throw new CoreCallException("POST " + path, 0, "connection refused");
        }
        if (path.equals(CoreJobControl.UPDATE)) {
            return update(path, request);
        }
        if (path.equals(CoreJobControl.UPDATE_LABELS)) {
            return labels(path, request);
        }
        if (path.equals(CoreJobControl.CHECK_EXISTENCE)) {
            List<String> jobs = new ArrayList<>();
            request.get("items").forEach(item -> jobs.add(item.get("id").asString()));
            existenceCalls.add(jobs);
            if (existenceDown) {
                throw new CoreCallException("POST " + path, 503, "unavailable");
            }
            ArrayNode responses = JSON.createArrayNode();
            jobs.forEach(job -> responses.add(!goneJobs.contains(job)));
            return JSON.createObjectNode().set("responses", responses);
        }
        throw new CoreCallException("POST " + path, 404, "no such call");
    }

    private JsonNode update(String path, JsonNode request) throws CoreCallException {
        List<String> items = new ArrayList<>();
        for (JsonNode item : request.get("items")) {
            String job = item.get("id").asString();
            String message = item.get("update").get("status").asString();
            items.add(job + ":" + message);
        }
        updateCallSizes.add(items.size());
        if (updateStatus != 0) {
            throw new CoreCallException("POST " + path, updateStatus, "status " + updateStatus);
        }
        for (JsonNode item : request.get("items")) {
            String job = item.get("id").asString();
            if (goneJobs.contains(job) || inaccessibleJobs.contains(job)) {
                throw new CoreCallException("POST " + path, 404, "Not found or permission denied (" + job + ")");
            }
        }
        for (JsonNode item : request.get("items")) {
            String message = item.get("update").get("status").asString();
            if (refusedMessages.contains(message)) {
                throw new CoreCallException("POST " + path, 400, "bad update: " + message);
            }
        }
        accepted.add(List.copyOf(items));
        afterAccept.run();
        return JSON.createObjectNode();
    }

    private JsonNode labels(String path, JsonNode request) throws CoreCallException {
        if (labelStatus != 0) {
            throw new CoreCallException("POST " + path, labelStatus, "status " + labelStatus);
        }
        for (JsonNode item : request.get("items")) {
            String job = item.get("id").asString();
            if (goneJobs.contains(job)) {
                throw new CoreCallException("POST " + path, 404, "Not found or permission denied (" + job + ")");
            }
        }
        for (JsonNode item : request.get("items")) {
            Map<String, String> values = new java.util.TreeMap<>();
            item.get("labels").properties().forEach(e -> values.put(e.getKey(), e.getValue().asString()));
            acceptedLabels.add(item.get("id").asString() + ":" + values);
        }
        return JSON.createObjectNode();
    }

    @Override
    public JsonNode get(String path, Map<String, String> query) throws CoreCallException {
        throw new CoreCallException("GET " + path, 404, "no such call");
    }

    /** Every item Core accepted, in order. */
    synchronized List<String> delivered() {
        return accepted.stream().flatMap(List::stream).toList();
    }

    /** The status messages of one job's accepted items, in order. */
    synchronized List<String> deliveredOf(String job) {
        return delivered().stream().filter(item -> item.startsWith(job + ":"))
                .map(item -> item.substring(job.length() + 1)).toList();
    }

    synchronized int calls() {
        return calls;
    }
}
