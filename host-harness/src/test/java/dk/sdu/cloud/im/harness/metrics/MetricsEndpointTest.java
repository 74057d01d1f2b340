package dk.sdu.cloud.im.harness.metrics;

import dk.sdu.cloud.im.harness.api.ApiFixture;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} over HTTP, in Prometheus text format. */
class MetricsEndpointTest {
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

    private String scrape() {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/metrics")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        return response.body();
    }

    /** The value of the sample with this name whose labels include all of {@code labels}. */
    static OptionalDouble sample(String text, String name, Map<String, String> labels) {
        return Arrays.stream(text.split("\n"))
                .filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labels.entrySet().stream()
                        .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    @Test
    void requestsAreCountedByRouteAndStatus() {
        api.post(JOBS, bulk(vmJob("1")));
        api.post(JOBS, bulk(vmJob("2")));
        api.send(HttpRequest.newBuilder(api.uri(JOBS)).POST(HttpRequest.BodyPublishers.ofString("{}")));
        api.get("/no/such/route");

        String text = scrape();

        assertThat(sample(text, "http_server_requests_seconds_count", Map.of("method", "POST",
                "route", "/ucloud/{providerId}/jobs", "status", "200"))).hasValue(2.0);
        assertThat(sample(text, "http_server_requests_seconds_count", Map.of("method", "POST",
                "route", "unmatched", "status", "401"))).as("refused before routing").hasValue(1.0);
        assertThat(sample(text, "http_server_requests_seconds_count", Map.of("method", "GET",
                "route", "unmatched", "status", "404"))).hasValue(1.0);
        assertThat(text).as("ids never become labels").doesNotContain("/no/such/route");
    }

    @Test
    void jobsAreCountedByStateFromTheStore() {
        api.post(JOBS, bulk(vmJob("1"), vmJob("2"), vmJob("3")));
        api.store.send("3", JobUpdate.state(JobState.RUNNING, null, 1));

        String text = scrape();

        assertThat(sample(text, "ucloud_im_jobs", Map.of("state", "IN_QUEUE"))).hasValue(2.0);
        assertThat(sample(text, "ucloud_im_jobs", Map.of("state", "RUNNING"))).hasValue(1.0);
        assertThat(sample(text, "ucloud_im_jobs", Map.of("state", "FAILURE"))).hasValue(0.0);
    }

    @Test
    void jobUpdatesSentThroughTheCountingDecoratorAreCountedAndStored() {
        api.post(JOBS, bulk(vmJob("1")));
        JobUpdates updates = api.metrics.countingUpdates(api.store);

        updates.send("1", JobUpdate.message("Preparing", 1));
        updates.send("1", JobUpdate.message("Still preparing", 2));
        updates.send("1", JobUpdate.state(JobState.RUNNING, null, 3));

        String text = scrape();
        assertThat(sample(text, "ucloud_im_job_updates_received_total", Map.of("state", "none"))).hasValue(2.0);
        assertThat(sample(text, "ucloud_im_job_updates_received_total", Map.of("state", "RUNNING"))).hasValue(1.0);
        assertThat(api.store.updates("1")).hasSize(3);
    }

    @Test
    void jvmBasicsAreThere() {
        String text = scrape();

        assertThat(sample(text, "jvm_memory_used_bytes", Map.of("area", "heap"))).isPresent();
        assertThat(sample(text, "jvm_threads_live_threads", Map.of())).isPresent();
        assertThat(sample(text, "process_uptime_seconds", Map.of())).isPresent();
        assertThat(sample(text, "system_cpu_count", Map.of())).isPresent();
    }
}
