package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/** retrieveProducts and requestDynamicParameters in Core's shapes. */
class ProviderApiCatalogTest {
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
    void retrieveProductsDescribesEveryProduct() {
        HttpResponse<String> response = api.get(JOBS + "/retrieveProducts");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode responses = json(response).get("responses");
        assertThat(responses).hasSize(3);

        JsonNode vm = responses.get(0);
        assertThat(ExampleJobs.JSON.writeValueAsString(vm.get("product")))
                .isEqualTo("{\"id\":\"u1-standard-4\",\"category\":\"u1-standard\",\"provider\":\"k8s\"}");
        JsonNode features = vm.get("virtualMachine");
        assertThat(features.get("enabled").asBoolean()).isTrue();
        // VNC, the follow stream's logs and the shell work for every VM; the web needs links, off here.
        for (String on : new String[]{"suspension", "vnc", "logs", "terminal"}) {
            assertThat(features.get(on).asBoolean()).as(on).isTrue();
        }
        for (String off : new String[]{"web", "peers", "timeExtension", "bindLinkToPort"}) {
            assertThat(features.get(off).isBoolean() && !features.get(off).asBoolean()).as(off).isTrue();
        }
        assertThat(vm.get("docker").get("enabled").asBoolean()).isFalse();
        assertThat(vm.get("native").get("enabled").asBoolean()).isFalse();
        assertThat(vm.get("queueStatus").asString()).isEqualTo("AVAILABLE");

        JsonNode containerOnly = responses.get(2);
        assertThat(containerOnly.get("product").get("id").asString()).isEqualTo("c1-container-2");
        assertThat(containerOnly.get("virtualMachine").get("enabled").asBoolean()).isFalse();
        for (String off : new String[]{"suspension", "vnc", "logs", "terminal", "web", "bindLinkToPort"}) {
            assertThat(containerOnly.get("virtualMachine").get(off).asBoolean()).as(off).isFalse();
        }
    }

    @Test
    void retrieveProductsAlsoAnswersPost() {
        HttpResponse<String> response = api.post(JOBS + "/retrieveProducts", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("responses")).hasSize(3);
    }

    @Test
    void aBackendFailureWhileListingProductsIs500WithAReferenceAndNoInternals() {
        api.backend.failIn("supportsProduct");

        HttpResponse<String> response = api.get(JOBS + "/retrieveProducts");

        assertThat(response.statusCode()).isEqualTo(500);
        // The failure's type is named; its message, which may hold internals, is not.
        assertThat(response.body()).doesNotContain(RecordingBackend.INTERNAL_DETAIL);
        assertThat(json(response).get("why").asString())
                .matches("an extension not from a plugin \\(Recording\\) failed to say whether it supports product "
                        + "u1-standard-4: IllegalStateException; error reference [0-9a-f-]{36} in the provider's log");
    }

    @Test
    void anErrorOfABackendIsA500WithAReferenceAndTheServerKeepsServing() {
        api.backend.breakClassPathIn("supportsProduct");

        HttpResponse<String> response = api.get(JOBS + "/retrieveProducts");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain(RecordingBackend.INTERNAL_DETAIL);
        assertThat(json(response).get("why").asString()).contains("failed to say whether it supports product u1-standard-4: "
                + "NoClassDefFoundError; error reference ");
        assertThat(api.get(JOBS + "/retrieveProducts").statusCode()).as("the next request is answered").isEqualTo(500);
        assertThat(api.post(JOBS + "/requestDynamicParameters", "{\"owner\": {\"createdBy\": \"alice#1234\"}, "
                + "\"application\": {\"name\": \"debian-vm\", \"version\": \"12\"}}").statusCode()).isEqualTo(200);
    }

    @Test
    void requestDynamicParametersOffersTheBackendsParameters() {
        HttpResponse<String> response = api.post(JOBS + "/requestDynamicParameters",
                "{\"owner\": {\"createdBy\": \"alice#1234\"}, \"application\": {\"name\": \"debian-vm\", \"version\": \"12\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode parameters = json(response).get("parameters");
        assertThat(parameters).hasSize(1);
        JsonNode disk = parameters.get(0);
        assertThat(disk.get("name").asString()).isEqualTo("diskSize");
        assertThat(disk.get("type").asString()).isEqualTo("integer");
        assertThat(disk.get("min").asLong()).isEqualTo(15);
        assertThat(disk.get("max").asLong()).isEqualTo(2000);
        assertThat(disk.get("defaultValue").asInt()).isEqualTo(50);
        assertThat(disk.get("unitName").asString()).isEqualTo("GiB");
    }

    @Test
    void requestDynamicParametersWithoutAnApplicationIs400() {
        HttpResponse<String> response = api.post(JOBS + "/requestDynamicParameters", "{\"owner\": {}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("why").asString()).contains("'application'");
    }

    @Test
    void requestDynamicParametersWithAWrongTypeIs400AndNamesTheField() {
        HttpResponse<String> response = api.post(JOBS + "/requestDynamicParameters",
                "{\"application\": {\"name\": [\"debian-vm\"], \"version\": \"12\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("why").asString())
                .isEqualTo("body.application.name: expected a string, got an array");
    }
}
