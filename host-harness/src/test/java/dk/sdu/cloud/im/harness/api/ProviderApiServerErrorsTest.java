package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors that Jetty answers before a request reaches a route (a request line or headers it cannot take)
 * still come back as JSON in the API's error shape, never as Jetty's HTML page. Sent over a plain socket,
 * because a proper client refuses to send such requests.
 */
class ProviderApiServerErrorsTest {
    private static final long BODY_LIMIT = 4 * 1024;
    private static final String AUTH = "Authorization: Bearer " + ApiFixture.serviceToken() + "\r\n";

    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(dir, BODY_LIMIT, Duration.ofSeconds(5), new RecordingBackend(), List.of());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String jsonWhy(RawHttp.Response response) {
        assertThat(response.contentType()).as("content type of %s", response.body()).startsWith("application/json");
        JsonNode body = ExampleJobs.JSON.readTree(response.body());
        assertThat(body.isObject()).as(response.body()).isTrue();
        assertThat(body.get("why")).as(response.body()).isNotNull();
        return body.get("why").asString();
    }

    private void assertNothingHappened() {
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls()).isEmpty();
    }

    @Test
    void tooLargeHeadersAre431Json() {
        RawHttp.Response response = RawHttp.send(api.port,
                "POST " + JOBS + " HTTP/1.1\r\n" + AUTH + "X-Padding: " + "a".repeat(64 * 1024) + "\r\n",
                bulk(vmJob("1")));

        assertThat(response.status()).isEqualTo(431);
        assertThat(jsonWhy(response)).isEqualTo("the request headers are larger than the limit of "
                + ProviderApiServer.MAX_HEADER_BYTES + " bytes");
        assertNothingHappened();
    }

    @Test
    void aMalformedEscapeInThePathIs400Json() {
        RawHttp.Response response = RawHttp.send(api.port, "POST " + JOBS + "/%zz HTTP/1.1\r\n" + AUTH,
                bulk(vmJob("1")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(jsonWhy(response)).startsWith("the request cannot be read");
        assertNothingHappened();
    }

    @Test
    void anEncodedSlashOrDotDotInThePathIsRefusedAsJson() {
        RawHttp.Response response = RawHttp.send(api.port, "GET /harness/jobs/%2e%2e/%2Fx HTTP/1.1\r\n" + AUTH, "");

        // Jetty refuses the ambiguous path (400), or it reaches no route (404): JSON either way.
        assertThat(response.status()).isIn(400, 404);
        assertThat(jsonWhy(response)).isNotBlank();
    }

    @Test
    void aBrokenRequestLineIs400Json() {
        RawHttp.Response response = RawHttp.send(api.port, "POST " + JOBS + " HTTP/9.9\r\n" + AUTH, "");

        assertThat(response.status()).isBetween(400, 505);
        jsonWhy(response);
        assertNothingHappened();
    }

    @Test
    void anUnknownMethodIsJson() {
        RawHttp.Response response = RawHttp.send(api.port, "BREW " + JOBS + " HTTP/1.1\r\n" + AUTH, "");

        assertThat(response.status()).isBetween(400, 499);
        jsonWhy(response);
        assertNothingHappened();
    }

    @Test
    void aTooLargeBodyIs413Json() {
        RawHttp.Response response = RawHttp.send(api.port, "POST " + JOBS + " HTTP/1.1\r\n" + AUTH,
                "{\"items\": [\"" + "x".repeat((int) BODY_LIMIT) + "\"]}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(jsonWhy(response)).isEqualTo("the request body is larger than the limit of " + BODY_LIMIT + " bytes");
        assertNothingHappened();
    }

    @Test
    void anUnknownPathIs404Json() {
        RawHttp.Response response = RawHttp.send(api.port, "GET /no/such/thing HTTP/1.1\r\n" + AUTH, "");

        assertThat(response.status()).isEqualTo(404);
        assertThat(jsonWhy(response)).isEqualTo("no such route: GET /no/such/thing");
    }

    @Test
    void aWrongMethodIs405Json() {
        RawHttp.Response response = RawHttp.send(api.port, "DELETE " + JOBS + " HTTP/1.1\r\n" + AUTH, "");

        assertThat(response.status()).isEqualTo(405);
        assertThat(jsonWhy(response)).isEqualTo("method DELETE is not allowed on " + JOBS);
    }
}
