package dk.sdu.cloud.im.harness.core;

import tools.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * A job update the harness's Core received ({@code jobs/control/update}).
 *
 * @param jobId  the job
 * @param update the update as sent ({@code state}, {@code status}, {@code timestamp}, ...)
 */
public record ReceivedUpdate(String jobId, JsonNode update) {
    public ReceivedUpdate {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(update, "update is null");
    }
}
