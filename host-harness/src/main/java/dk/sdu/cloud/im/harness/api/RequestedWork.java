package dk.sdu.cloud.im.harness.api;

import java.util.List;

/**
 * Where the provider API hands the jobs whose request it has just recorded in the job store: the backends'
 * work that follows the answer.
 */
@FunctionalInterface
public interface RequestedWork {
    /**
     * Tells that these jobs have a request their backend has yet to carry out. Returns at once; the work is
     * done in the background, and what is recorded in the store decides what the work is.
     */
    void requested(List<String> jobIds);
}
