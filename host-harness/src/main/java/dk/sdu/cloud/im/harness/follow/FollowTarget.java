package dk.sdu.cloud.im.harness.follow;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.job.Job;

import static java.util.Objects.requireNonNull;

/** What a follow request's job is to this provider. */
public sealed interface FollowTarget {

    /** No job with the id is known here (or its backend is gone): the stream answers 404. */
    record Unknown(String why) implements FollowTarget {
        public Unknown {
            requireNonNull(why, "why is null");
        }
    }

    /** The job ended or was terminated: the stream sends its final response at once. */
    record Ended(String why) implements FollowTarget {
        public Ended {
            requireNonNull(why, "why is null");
        }
    }

    /**
     * A job that runs, or is about to.
     *
     * @param job      the job as the IM recorded it
     * @param machines how many machines (ranks) it has, at least 1
     * @param backend  its compute backend, which is followed
     */
    record Live(Job job, int machines, ComputeBackend backend) implements FollowTarget {
        public Live {
            requireNonNull(job, "job is null");
            requireNonNull(backend, "backend is null");
            if (machines < 1) {
                throw new IllegalArgumentException("machines must be at least 1, got " + machines);
            }
        }
    }
}
