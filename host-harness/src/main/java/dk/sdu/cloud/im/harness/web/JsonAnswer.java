package dk.sdu.cloud.im.harness.web;

import dk.sdu.cloud.im.harness.api.ApiError;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;

import static java.util.Objects.requireNonNull;

/** Writes the links' proxy's own answers (no route, no target) as {@link ApiError} JSON, as the provider API does. */
final class JsonAnswer {
    private final JsonMapper mapper;

    JsonAnswer(JsonMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** Answers {@code status} with {@code {"why": why}} and completes {@code callback}. */
    void write(Response response, int status, String why, Callback callback) {
        byte[] body = mapper.writeValueAsBytes(ApiError.of(why));
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
