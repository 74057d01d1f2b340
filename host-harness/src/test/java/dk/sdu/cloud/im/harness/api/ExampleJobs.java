package dk.sdu.cloud.im.harness.api;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/** The shared example job ({@code ../../shared/examples/job-vm.json}) and request bodies built from it. */
public final class ExampleJobs {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path EXAMPLE = Path.of("..", "..", "shared", "examples", "job-vm.json");

    private ExampleJobs() {
    }

    /** The example VM job, as a fresh tree to change. */
    public static ObjectNode vmJob() {
        if (!Files.isRegularFile(EXAMPLE)) {
            fail("the shared example job is missing: expected " + EXAMPLE.toAbsolutePath().normalize()
                    + " (shared/examples beside the repository)");
        }
        try {
            return (ObjectNode) JSON.readTree(Files.readString(EXAMPLE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
