package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.wrappedBulk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provider API answers once a request is checked and recorded; the backend's work follows behind it, and
 * a later request about a job overtakes what is outdated.
 */
class ProviderApiAnswersAtOnceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private RecordingBackend backend;
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (backend != null) {
            List.of("start", "suspend", "unsuspend", "terminate").forEach(backend::release);
        }
        if (api != null) {
            api.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> postInBackground(String path, String body) {
        HttpRequest request = api.request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createAnswersWhileTheBackendIsStillStarting() throws Exception {
        backend = new RecordingBackend().hold("start");
        api = ApiFixture.start(dir, backend);

        CompletableFuture<HttpResponse<String>> created = postInBackground(JOBS, bulk(vmJob("1"), vmJob("2")));

        // The backend's start is held for as long as the test wants: an answer can only come before it ends.
        HttpResponse<String> response = created.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("responses")).extracting(n -> n.get("id").asString()).containsExactly("1", "2");
        assertThat(api.store.find("1")).isPresent();
        assertThat(backend.calls("start")).isEmpty();

        backend.release("start");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(backend.calls("start")).containsExactlyInAnyOrder("1", "2"));
    }

    @Test
    void aTerminateWhileAnUnsuspendIsUnderWayEndsTheJob() throws Exception {
        backend = new RecordingBackend();
        api = ApiFixture.start(dir, backend);
        assertThat(api.post(JOBS, bulk(vmJob("1"))).statusCode()).isEqualTo(200);
        assertThat(api.post(JOBS + "/suspend", wrappedBulk(vmJob("1"))).statusCode()).isEqualTo(200);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(backend.calls("suspend")).containsExactly("1"));
        backend.hold("unsuspend");

        CompletableFuture<HttpResponse<String>> unsuspended =
                postInBackground(JOBS + "/unsuspend", wrappedBulk(vmJob("1")));
        await().atMost(DEADLINE).until(() -> backend.entered("unsuspend"));
        HttpResponse<String> terminated = api.post(JOBS + "/terminate", bulk(vmJob("1")));
        assertThat(terminated.statusCode()).as(terminated.body()).isEqualTo(200);
        backend.release("unsuspend");

        assertThat(unsuspended.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(backend.calls("terminate")).containsExactly("1"));
        // The unsuspend that was under way ended before the terminate began: the terminate is the last word.
        List<String> calls = backend.calls();
        assertThat(calls.get(calls.size() - 1)).isEqualTo("terminate 1");
        assertThat(calls).containsSubsequence("unsuspend 1", "terminate 1");
    }
}
