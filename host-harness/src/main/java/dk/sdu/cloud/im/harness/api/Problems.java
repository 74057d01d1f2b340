package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The bad items of one bulk request. A rejection is the caller's problem (400); a failure of ours is
 * logged with its stack trace under a reference, and the caller gets the reference and, when a plugin
 * failed, which plugin and what it was asked ({@link PluginFault#text()}), never the exception's message (500).
 */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final List<ApiError.ItemProblem> items = new ArrayList<>();
    private boolean internal;

    void reject(int index, String id, String why) {
        items.add(new ApiError.ItemProblem(index, id, why));
    }

    /**
     * A compute backend failed unexpectedly.
     *
     * @param action what it was asked, as the words after "failed to", e.g. {@code start job 42}
     */
    void failed(int index, String id, ComputeBackend backend, String action, Throwable e) {
        PluginFault fault = PluginFault.of(backend, action, e);
        String reference = newReference();
        LOG.error("{} (error reference {})", fault.detail(), reference, e);
        items.add(new ApiError.ItemProblem(index, id, fault.withReference(reference)));
        internal = true;
    }

    /**
     * A compute backend failed unexpectedly in a request that has no items: the whole request fails (500),
     * naming the plugin.
     */
    static ApiException failedRequest(ComputeBackend backend, String action, Throwable e) {
        PluginFault fault = PluginFault.of(backend, action, e);
        String reference = newReference();
        LOG.error("{} (error reference {})", fault.detail(), reference, e);
        return new ApiException(500, ApiError.of(fault.withReference(reference)));
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
