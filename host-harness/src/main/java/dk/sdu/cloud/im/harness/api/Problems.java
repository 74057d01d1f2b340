package dk.sdu.cloud.im.harness.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The bad items of one bulk request. A rejection is the caller's problem (400); a failure of ours is
 * logged with its stack trace under a reference, and the caller gets only the reference (500).
 */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final List<ApiError.ItemProblem> items = new ArrayList<>();
    private boolean internal;

    void reject(int index, String id, String why) {
        items.add(new ApiError.ItemProblem(index, id, why));
    }

    void failed(int index, String id, String what, RuntimeException e) {
        String reference = newReference();
        LOG.error("{} failed for job {} (error reference {})", what, id, reference, e);
        items.add(new ApiError.ItemProblem(index, id, what + " failed; error reference " + reference
                + " in the provider's log"));
        internal = true;
    }

    boolean any() {
        return !items.isEmpty();
    }

    /** Throws the collected problems, when there are any. */
    void throwIfAny(int defaultStatus, String why) {
        if (any()) {
            throw ApiException.of(internal ? 500 : defaultStatus, why, items);
        }
    }

    int count() {
        return items.size();
    }

    static String newReference() {
        return UUID.randomUUID().toString();
    }
}
