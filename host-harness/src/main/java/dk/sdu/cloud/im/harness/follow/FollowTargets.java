package dk.sdu.cloud.im.harness.follow;

/** Finds the job a follow stream asks for. Safe to call from many threads; no waiting on the cluster. */
@FunctionalInterface
public interface FollowTargets {

    /** What the job with this id is to this provider. */
    FollowTarget find(String jobId);
}
