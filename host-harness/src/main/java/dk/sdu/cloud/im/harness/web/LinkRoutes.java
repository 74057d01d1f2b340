package dk.sdu.cloud.im.harness.web;

/** Resolves a request's host name (without port, lowercase) to where the links' proxy sends it. */
@FunctionalInterface
public interface LinkRoutes {

    /** Where a request for {@code host} goes. Called for every request, on the request's thread. */
    LinkRoute resolve(String host);
}
