package dk.sdu.cloud.im.harness.core;

import dk.sdu.cloud.im.spi.job.JobUpdate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The calls to UCloud/Core's job control API the IM makes about its jobs' state: sending updates
 * ({@value #UPDATE}) and asking whether jobs exist ({@value #CHECK_EXISTENCE}). Bodies are written in full, with
 * Core's optional fields as {@code null}, whatever the transport's JSON settings.
 */
public final class CoreJobControl {
    /** Core's bulk call that adds updates to jobs. */
    public static final String UPDATE = "/api/jobs/control/update";
    /** Core's bulk call that sets labels of jobs. */
    public static final String UPDATE_LABELS = "/api/jobs/control/updateLabels";
    /** Core's call that gives one job as Core holds it. */
    public static final String RETRIEVE = "/api/jobs/control/retrieve";
    /** Core's bulk call that tells which resources exist. */
    public static final String CHECK_EXISTENCE = "/api/providers/resources/checkExistence";
    /** The most jobs asked about in one call, as UCloud's own IM does. */
    static final int MAX_CHECKS_PER_CALL = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Fields of Core's job update the IM never sets. */
    private static final List<String> UNSET_UPDATE_FIELDS = List.of("outputFolder", "expectedState",
            "expectedDifferentState", "newTimeAllocation", "allowRestart", "resourceList");

    private final CoreTransport transport;

    public CoreJobControl(CoreTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
    }

    /**
     * One update of one job, as Core's update call takes it.
     *
     * @param jobId  the job's id, as Core gave it
     * @param update its new state and/or message, and when that happened
     */
    public record Item(String jobId, JobUpdate update) {
        public Item {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(update, "update is null");
        }
    }

    /**
     * Sends updates to Core in one call, in order: all are accepted, or the call fails (Core takes a bulk
     * request as a whole). Nothing is called for an empty list.
     *
     * @throws CoreCallException Core's refusal (404 or 403 when a job is not there or not the provider's) or
     *                           no answer
     */
    public void update(List<Item> items) throws CoreCallException {
        requireNonNull(items, "items is null");
        if (items.isEmpty()) {
            return;
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode array = body.putArray("items");
        for (Item item : items) {
            ObjectNode entry = array.addObject();
            entry.put("id", item.jobId());
            ObjectNode update = entry.putObject("update");
            JobUpdate value = item.update();
            if (value.state() == null) {
                update.putNull("state");
            } else {
                update.put("state", value.state().name());
            }
            if (value.status() == null) {
                update.putNull("status");
            } else {
                update.put("status", value.status());
            }
            UNSET_UPDATE_FIELDS.forEach(update::putNull);
            update.put("timestamp", value.timestamp());
        }
        transport.post(UPDATE, body);
    }

    /**
     * Asks Core whether jobs exist, {@value #MAX_CHECKS_PER_CALL} per call at most.
     *
     * @return for each job, in order, whether Core has it
     * @throws CoreCallException when a call fails, or Core's answer is not one {@code true}/{@code false} per job
     */
    public List<Boolean> jobsExist(List<String> jobIds) throws CoreCallException {
        requireNonNull(jobIds, "jobIds is null");
        List<Boolean> result = new ArrayList<>(jobIds.size());
        for (int start = 0; start < jobIds.size(); start += MAX_CHECKS_PER_CALL) {
            List<String> chunk = jobIds.subList(start, Math.min(jobIds.size(), start + MAX_CHECKS_PER_CALL));
            ObjectNode body = NODES.objectNode();
            ArrayNode array = body.putArray("items");
            for (String jobId : chunk) {
                array.addObject().put("type", "job").put("id", requireNonNull(jobId, "a job id is null"));
            }
            JsonNode answer = transport.post(CHECK_EXISTENCE, body);
            JsonNode responses = answer == null ? null : answer.get("responses");
            if (responses == null || !responses.isArray() || responses.size() != chunk.size()) {
                throw new CoreCallException("POST " + CHECK_EXISTENCE, 200, "the answer is not {\"responses\":"
                        + " [true|false, ...]} with one answer for each of the " + chunk.size() + " jobs asked about");
            }
            for (JsonNode exists : responses) {
                if (!exists.isBoolean()) {
                    throw new CoreCallException("POST " + CHECK_EXISTENCE, 200, "the answer holds " + exists
                            + " where true or false was expected");
                }
                result.add(exists.booleanValue());
            }
        }
        return List.copyOf(result);
    }
    /**
     * Sets labels of a job at Core (e.g. {@code ucloud.dk/service-ip-address}), in one call.
     *
     * @throws CoreCallException Core's refusal (404 or 403 when the job is not there) or no answer
     */
    public void updateLabels(String jobId, Map<String, String> labels) throws CoreCallException {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(labels, "labels is null");
        ObjectNode body = NODES.objectNode();
        ObjectNode entry = body.putArray("items").addObject();
        entry.put("id", jobId);
        ObjectNode values = entry.putObject("labels");
        labels.forEach((key, value) -> values.put(requireNonNull(key, "a label key is null"),
                requireNonNull(value, "label " + key + " has no value")));
        transport.post(UPDATE_LABELS, body);
    }

    /**
     * The job as Core holds it, with its parameters, application and product (as UCloud's IM asks for it).
     *
     * @return empty when Core has no such job (404)
     * @throws CoreCallException another refusal, no answer, or an answer that is not a job
     */
    public Optional<JsonNode> retrieve(String jobId) throws CoreCallException {
        requireNonNull(jobId, "jobId is null");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("id", jobId);
        query.put("includeParameters", "true");
        query.put("includeApplication", "true");
        query.put("includeProduct", "true");
        JsonNode job;
        try {
            job = transport.get(RETRIEVE, query);
        } catch (CoreCallException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        if (job == null || !job.isObject() || !jobId.equals(job.path("id").asString(null))) {
            throw new CoreCallException("GET " + RETRIEVE, 200, "the answer is not the job " + jobId);
        }
        return Optional.of(job);
    }
}
