package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * close(): stop accepting, let requests in flight finish, but never wait longer than the timeout. A request is
 * held in flight by a backend's verify, the last part of a create that runs inside the request.
 */
class ProviderApiShutdownTest {
    @TempDir
    Path dir;
    private ApiFixture api;
    private RecordingBackend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.release("verify");
        }
        if (api != null) {
            api.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> createInBackground() {
        HttpRequest request = api.request(JOBS).POST(HttpRequest.BodyPublishers.ofString(bulk(vmJob("1")))).build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** True when a new request cannot get in: refused, or answered 503 by the shutting-down server. */
    private boolean refusesNewRequests() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(api.request("/harness/jobs")
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 503;
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aRequestInFlightFinishesWhileNewOnesAreRefused() throws Exception {
        backend = new RecordingBackend().hold("verify");
        api = ApiFixture.start(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(30), backend, List.of());
        CompletableFuture<HttpResponse<String>> inFlight = createInBackground();
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.entered("verify"));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(api.server::close);
        await().atMost(Duration.ofSeconds(20)).until(this::refusesNewRequests);
        assertThat(inFlight).isNotDone();
        assertThat(closing).isNotDone();

        backend.release("verify");

        HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        closing.get(20, TimeUnit.SECONDS);
        assertThat(api.store.find("1")).isPresent();
    }

    @Test
    void closeDoesNotWaitLongerThanItsTimeout() throws Exception {
        backend = new RecordingBackend().hold("verify");
        api = ApiFixture.start(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofMillis(200), backend, List.of());
        CompletableFuture<HttpResponse<String>> inFlight = createInBackground();
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.entered("verify"));

        // The backend is never released: close() returning at all shows it did not wait for the request.
        CompletableFuture.runAsync(api.server::close).get(20, TimeUnit.SECONDS);

        assertThat(refusesNewRequests()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(inFlight::isDone);
        assertThat(inFlight).as("the held request was cut off").satisfiesAnyOf(
                f -> assertThat(f).isCompletedExceptionally(),
                f -> assertThat(f.join().statusCode()).isNotEqualTo(200));
    }
}
