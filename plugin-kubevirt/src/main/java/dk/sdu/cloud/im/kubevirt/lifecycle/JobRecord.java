package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A job as the plugin keeps it on its VM (annotation {@code ucloud.dk/job}): what is needed to plan it again
 * after an IM restart, and nothing that changes while it runs. Core's updates and its view of the state are
 * left out, so that the same job always gives the same text and a repeated start writes nothing.
 */
final class JobRecord {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JobRecord() {
    }

    /** The job as JSON, without its updates and with only the resolved application of its status. */
    static String encode(Job job) {
        requireNonNull(job, "job is null");
        JobStatus status = job.status() == null ? null
                : new JobStatus(null, null, null, job.status().resolvedApplication(), null);
        return JSON.writeValueAsString(new Job(job.id(), job.createdAt(), job.owner(), job.specification(), status,
                List.of()));
    }

    /**
     * The job in a record.
     *
     * @throws IllegalArgumentException when the text is not a job
     */
    static Job decode(String text) {
        requireNonNull(text, "text is null");
        try {
            Job job = JSON.readValue(text, Job.class);
            if (job == null || job.id() == null) {
                throw new IllegalArgumentException("the job record has no id");
            }
            return job;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the job record is not a job: " + e.getOriginalMessage(), e);
        }
    }
}
