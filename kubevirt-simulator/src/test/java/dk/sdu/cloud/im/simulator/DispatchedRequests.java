package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;

/** Requests handed to a dispatcher directly, as the mock server would after reading them off the wire. */
final class DispatchedRequests {
    private DispatchedRequests() {
    }

    /** A request with a JSON body, or none when {@code json} is null. */
    static RecordedRequest request(HttpMethod method, String path, String json) {
        Headers.Builder headers = Headers.builder();
        if (json != null) {
            headers.add("Content-Type", "application/json");
        }
        return new RecordedRequest("HTTP/1.1", method, path, headers.build(),
                new Buffer(json == null ? null : json.getBytes(StandardCharsets.UTF_8)));
    }
}
