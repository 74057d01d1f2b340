package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

/** A job that cannot be checked because UCloud/Core does not answer (a drive to look up): 503, nothing created. */
class ProviderApiCoreUnavailableTest {
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

    @Test
    void aCreateWhoseCheckNeedsCoreWhileCoreIsDownIs503WithAJsonBodyAndCreatesNothing() {
        api.backend.coreUnavailableInVerify();

        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("601"), vmJob("602")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json(response).get("why").asString())
                .contains("job 601 cannot be checked now", "UCloud/Core cannot be reached now", "nothing was created");
        assertThat(json(response).get("items").get(0).get("id").asString()).isEqualTo("601");
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls("start")).isEmpty();
    }
}
