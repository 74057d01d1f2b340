package dk.sdu.cloud.im.harness.api;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The body Jetty sends for a message it cannot even make a request of is JSON too. */
class JsonErrorHandlerTest {
    private final JsonErrorHandler handler = new JsonErrorHandler(ApiJson.strictMapper(), 8192);

    private static JsonNode json(ByteBuffer body) {
        return ExampleJobs.JSON.readTree(StandardCharsets.UTF_8.decode(body).toString());
    }

    @Test
    void aBadMessageIsApiErrorJson() {
        HttpFields.Mutable fields = HttpFields.build();

        JsonNode body = json(handler.badMessageError(400, "Illegal character", fields));

        assertThat(fields.get(HttpHeader.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(body.get("why").asString()).isEqualTo("the request cannot be read: Illegal character "
                + "(request line, URI, %-escapes or headers are malformed)");
    }

    @Test
    void tooLargeHeadersNameTheLimit() {
        JsonNode body = json(handler.badMessageError(431, null, HttpFields.build()));

        assertThat(body.get("why").asString()).isEqualTo("the request headers are larger than the limit of 8192 bytes");
    }

    @Test
    void aServerSideStatusSaysNoMoreThanItsName() {
        JsonNode body = json(handler.badMessageError(500, "java.lang.IllegalStateException: secret", HttpFields.build()));

        assertThat(body.get("why").asString())
                .isEqualTo("the server could not handle the request (HTTP 500 Server Error)");
    }
}
