package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.spi.job.Job;
import tools.jackson.databind.JsonNode;

/**
 * Reads one job from a JSON document by the provider API's rules (strict types, nothing after the value),
 * for commands that take a job from a file rather than from Core.
 */
public final class JobDocuments {
    private JobDocuments() {
    }

    /**
     * @param json the document: one job object, in Core's shape
     * @throws IllegalArgumentException saying where and what is wrong (e.g.
     *                                  {@code job.specification.replicas: expected an integer, got the string "two"})
     */
    public static Job parse(byte[] json) {
        RequestBodies bodies = new RequestBodies(ApiJson.strictMapper());
        JsonNode root;
        try {
            root = bodies.parse(json);
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.error().why().replace("request body", "job document"), e);
        }
        RequestBodies.Converted<Job> job = bodies.convert(root, Job.class, "job");
        if (!job.ok()) {
            throw new IllegalArgumentException(job.problem());
        }
        if (job.value().id() == null || job.value().id().isBlank()) {
            throw new IllegalArgumentException("job.id: a job needs an id");
        }
        return job.value();
    }
}
