package dk.sdu.cloud.im.harness.web;

import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * Where a request for a domain goes: to an address, or nowhere with an HTTP status and why.
 *
 * @param target the address to connect to, or null
 * @param status the status to answer when there is no target (404, 503), else 0
 * @param why    why there is no target, for the visitor, or null
 */
public record LinkRoute(InetSocketAddress target, int status, String why) {

    /** To this address. */
    public static LinkRoute to(InetSocketAddress target) {
        return new LinkRoute(requireNonNull(target, "target is null"), 0, null);
    }

    /** Nowhere: no link has the domain, or its job is gone (404). */
    public static LinkRoute unknown(String why) {
        return new LinkRoute(null, 404, requireNonNull(why, "why is null"));
    }

    /** Not now: the job's machine does not run (503). */
    public static LinkRoute unavailable(String why) {
        return new LinkRoute(null, 503, requireNonNull(why, "why is null"));
    }

    /** Whether there is a target. */
    public boolean found() {
        return target != null;
    }
}
