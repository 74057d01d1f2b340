package dk.sdu.cloud.im.harness.chaos;

import java.net.URI;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The traffic's view of the IM: whether it serves, the API of the current process, and which process that is
 * (a generation that goes up at each kill or stop). Requests are held while the IM is down: Core would keep
 * failing against a dead IM, which tells nothing.
 */
final class ImLink {
    private final Function<URI, ProviderApi> apis;
    private ProviderApi api;
    private boolean up;
    private int generation;

    /** @param apis the API of the IM at a URL (each start's port is the one that IM bound) */
    ImLink(Function<URI, ProviderApi> apis) {
        this.apis = requireNonNull(apis, "apis is null");
    }

    synchronized boolean up() {
        return up;
    }

    synchronized ProviderApi api() {
        return api;
    }

    synchronized int generation() {
        return generation;
    }

    /** The IM is about to go: no more requests; those in flight belong to the old generation. */
    synchronized void down() {
        up = false;
        generation++;
    }

    /** A new IM process serves at {@code url}: a fresh API (no connections kept to the old one). */
    synchronized ProviderApi renew(URI url) {
        api = apis.apply(url);
        return api;
    }

    synchronized void markUp() {
        up = true;
    }
}
