package dk.sdu.cloud.im.harness.auth;

/** The headers of a request to the IM, looked up by name regardless of case (as HTTP's are). */
@FunctionalInterface
public interface CallHeaders {
    /** The first value of the header {@code name}; {@code null} when the request has no such header. */
    String value(String name);
}
