package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Kubernetes API verb of an HTTP request (what RBAC and audit logs call it), worked out from its method,
 * path and query alone.
 */
public enum ApiVerb {
    GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE, DELETECOLLECTION,
    /** API discovery ({@code /api}, {@code /apis/<group>/<version>}, {@code /version}, ...). */
    DISCOVERY,
    /** Anything else (a method Kubernetes does not use). */
    OTHER;

    /** Whether the verb changes something on the server. */
    public boolean isWrite() {
        return this == CREATE || this == UPDATE || this == PATCH || this == DELETE || this == DELETECOLLECTION;
    }

    /** The verb of a request the embedded API server received. */
    static ApiVerb of(RecordedRequest request) {
        return of(request.getMethod(), uriOf(request));
    }

    /** A received request's path and query; {@code /} when it is not a URI (such a request answers 404). */
    static URI uriOf(RecordedRequest request) {
        try {
            return URI.create(request.getPath());
        } catch (IllegalArgumentException e) {
            return URI.create("/");
        }
    }

    /** The verb of a request. */
    public static ApiVerb of(String method, URI uri) {
        ResourcePath path = ResourcePath.parse(uri.getRawPath());
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        switch (method.toUpperCase(Locale.ROOT)) {
            case "GET":
                if (path == null) {
                    return DISCOVERY;
                }
                if (List.of(query.split("&")).contains("watch=true")) {
                    return WATCH;
                }
                return path.named() ? GET : LIST;
            case "POST":
                return CREATE;
            case "PUT":
                return UPDATE;
            case "PATCH":
                return PATCH;
            case "DELETE":
                return path != null && !path.named() ? DELETECOLLECTION : DELETE;
            default:
                return OTHER;
        }
    }

    /**
     * The resource part of an API path: its plural and whether it names one object. Null for discovery paths.
     */
    record ResourcePath(String resource, boolean named) {

        static ResourcePath parse(String rawPath) {
            List<String> segments = new ArrayList<>();
            for (String segment : rawPath.split("/")) {
                if (!segment.isEmpty()) {
                    segments.add(segment);
                }
            }
            List<String> rest;
            if (segments.size() >= 2 && segments.get(0).equals("api")) {
                rest = segments.subList(2, segments.size());            // /api/v1/...
            } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
                rest = segments.subList(3, segments.size());            // /apis/<group>/<version>/...
            } else {
                return null;
            }
            if (rest.isEmpty()) {
                return null;
            }
            if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
                rest = rest.subList(2, rest.size());                    // namespaces/<ns>/<plural>[/<name>...]
            }
            return new ResourcePath(rest.get(0), rest.size() >= 2);
        }
    }
}
