package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.TOKEN;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

class ProviderApiAuthTest {
    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> createWith(String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(JOBS))
                .POST(HttpRequest.BodyPublishers.ofString(bulk(vmJob("1"))));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return api.send(request);
    }

    private void assertUnauthorized(HttpResponse<String> response, String why) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(json(response).get("why").asString()).isEqualTo(why);
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls()).isEmpty();
    }

    @Test
    void noAuthorizationHeaderIs401() {
        assertUnauthorized(createWith(null),
                "missing Authorization header; expected 'Authorization: Bearer <token>'");
    }

    @Test
    void anotherSchemeIs401() {
        assertUnauthorized(createWith("Basic " + TOKEN), "Authorization scheme must be Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    "})
    void anEmptyTokenIs401(String header) {
        assertUnauthorized(createWith(header), "the bearer token is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong", TOKEN + "x", "harness-test-token-4f1"})
    void aWrongTokenIs401(String token) {
        assertUnauthorized(createWith("Bearer " + token), "the bearer token is not valid");
    }

    @Test
    void theRightTokenWithAnyCaseOfTheSchemeIsAccepted() {
        assertThat(createWith("bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(api.store.find("1")).isPresent();
    }

    @Test
    void everyProviderRouteNeedsTheToken() {
        for (String path : new String[]{JOBS + "/terminate", JOBS + "/suspend", JOBS + "/unsuspend",
                JOBS + "/requestDynamicParameters", JOBS + "/retrieveProducts"}) {
            HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri(path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void unknownRoutesAndWrongMethodsNeedTheTokenToo() {
        HttpResponse<String> unknown = api.send(HttpRequest.newBuilder(api.uri("/no/such/route")).GET());
        HttpResponse<String> wrongMethod = api.send(HttpRequest.newBuilder(api.uri(JOBS + "/terminate")).GET());

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrongMethod.statusCode()).isEqualTo(401);
    }

    @Test
    void theHarnessViewNeedsTheToken() {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/harness/jobs")).GET());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(api.get("/harness/jobs").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsNeedNoToken() {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/metrics")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
