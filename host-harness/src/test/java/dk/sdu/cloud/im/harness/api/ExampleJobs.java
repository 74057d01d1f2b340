package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.testdata.TestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The example job ({@link TestData#VM_JOB}) and request bodies built from it. */
public final class ExampleJobs {
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private ExampleJobs() {
    }

    /** The example VM job, as a fresh tree to change. */
    public static ObjectNode vmJob() {
        return (ObjectNode) JSON.readTree(TestData.read(TestData.VM_JOB));
    }

    /** The example VM job with another id. */
    public static ObjectNode vmJob(String id) {
        ObjectNode job = vmJob();
        job.put("id", id);
        return job;
    }

    /** The example job with another tool backend. */
    public static ObjectNode jobWithToolBackend(String id, String toolBackend) {
        ObjectNode job = vmJob(id);
        ((ObjectNode) job.at("/status/resolvedApplication/invocation/tool/tool/description"))
                .put("backend", toolBackend);
        return job;
    }

    /** {@code {"items": [...]}}. */
    public static String bulk(JsonNode... items) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("items");
        for (JsonNode item : items) {
            array.add(item);
        }
        return JSON.writeValueAsString(body);
    }

    /** {@code {"items": [{"job": ...}, ...]}}, the shape of suspend and unsuspend. */
    public static String wrappedBulk(JsonNode... jobs) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("items");
        for (JsonNode job : jobs) {
            array.addObject().set("job", job);
        }
        return JSON.writeValueAsString(body);
    }
}
