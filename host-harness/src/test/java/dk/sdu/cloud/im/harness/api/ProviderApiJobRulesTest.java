package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.Consumer;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.PROVIDER;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.wrappedBulk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's rules for every submitted job ({@link JobChecks}): a job that breaks one is refused with 400,
 * a JSON body naming the field by its key path, and nothing is stored nor handed to a backend.
 */
class ProviderApiJobRulesTest {
    /** C0 (NUL, line feed, escape, unit separator), DEL and C1 (NEL, the last C1). */
    private static final String[] CONTROLS = {"\u0000", "\n", "\u001b", "\u001f", "\u007f", "\u0085", "\u009f"};

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

    private static ObjectNode job(Consumer<ObjectNode> change) {
        ObjectNode job = vmJob("4242");
        change.accept(job);
        return job;
    }

    private static ObjectNode spec(ObjectNode job) {
        return (ObjectNode) job.get("specification");
    }

    /** Creates the job; expects 400 with one item problem, and nothing stored or called. */
    private String rejected(ObjectNode job) {
        HttpResponse<String> response = api.post(JOBS, bulk(job));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.get("why").asString()).isEqualTo("1 of 1 item was rejected; nothing was created");
        assertThat(body.get("items")).hasSize(1);
        assertThat(body.get("items").get(0).get("index").asInt()).isZero();
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls()).isEmpty();
        return body.get("items").get(0).get("why").asString();
    }

    @Test
    void theExampleJobPasses() {
        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("4242")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(api.store.find("4242")).isPresent();
    }

    @Test
    void aNullOwnerIsRefused() {
        assertThat(rejected(job(j -> j.putNull("owner"))))
                .isEqualTo("items[0].owner: a job needs an owner ({\"createdBy\": ..., \"project\": ...})");
    }

    @Test
    void aMissingOwnerIsRefused() {
        assertThat(rejected(job(j -> j.remove("owner")))).startsWith("items[0].owner: a job needs an owner");
    }

    @Test
    void aMissingCreatedByIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) j.get("owner")).putNull("createdBy"))))
                .isEqualTo("items[0].owner.createdBy: is missing");
    }

    @Test
    void anEmptyCreatedByIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) j.get("owner")).put("createdBy", ""))))
                .isEqualTo("items[0].owner.createdBy: is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void aCreatedByOfDotsIsRefused(String dots) {
        assertThat(rejected(job(j -> ((ObjectNode) j.get("owner")).put("createdBy", dots))))
                .isEqualTo("items[0].owner.createdBy: may not be '" + dots + "' ('" + dots + "')");
    }

    @Test
    void aCreatedByWithASlashIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) j.get("owner")).put("createdBy", "alice/../bob"))))
                .startsWith("items[0].owner.createdBy: may not contain '/'");
    }

    @Test
    void aCreatedByWithControlCharactersIsRefused() {
        for (String control : CONTROLS) {
            assertThat(rejected(job(j -> ((ObjectNode) j.get("owner")).put("createdBy", "alice" + control))))
                    .as("U+%04X", (int) control.charAt(0))
                    .startsWith("items[0].owner.createdBy: may not contain control characters")
                    .endsWith(String.format("('alice\\u%04X')", (int) control.charAt(0)));
        }
    }

    @Test
    void aCreatedByLongerThanAFileNameIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) j.get("owner")).put("createdBy", "a".repeat(256)))))
                .startsWith("items[0].owner.createdBy: is longer than 255 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "p/q", "p\u0000", "p\n", "p\u007f", "p\u0085"})
    void aProjectThatCannotBeAFolderNameIsRefused(String project) {
        assertThat(rejected(job(j -> ((ObjectNode) j.get("owner")).put("project", project))))
                .startsWith("items[0].owner.project: may ");
    }

    @Test
    void aNullOrEmptyProjectIsAPersonalJob() {
        ObjectNode empty = vmJob("1");
        ((ObjectNode) empty.get("owner")).put("project", "");
        ObjectNode missing = vmJob("2");
        ((ObjectNode) missing.get("owner")).remove("project");

        assertThat(api.post(JOBS, bulk(empty, missing)).statusCode()).isEqualTo(200);
    }

    @Test
    void aJobIdWithControlCharactersIsRefused() {
        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("42\n42")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .startsWith("items[0].id: may not contain control characters");
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls()).isEmpty();
    }

    @Test
    void aJobIdOfDotDotIsRefused() {
        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("..")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .isEqualTo("items[0].id: may not be '..' ('..')");
        assertThat(api.store.list()).isEmpty();
    }

    @Test
    void fractionalReplicasAreRefused() {
        assertThat(rejected(job(j -> spec(j).put("replicas", 1.5))))
                .isEqualTo("items[0].specification.replicas: expected an integer, got the number 1.5");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void replicasBelowOneAreRefused(int replicas) {
        assertThat(rejected(job(j -> spec(j).put("replicas", replicas))))
                .isEqualTo("items[0].specification.replicas: must be a positive integer, got " + replicas);
    }

    @Test
    void missingReplicasAreRefused() {
        assertThat(rejected(job(j -> spec(j).remove("replicas"))))
                .isEqualTo("items[0].specification.replicas: must be a positive integer, got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RUNNING", "SUCCESS", "FAILURE", "EXPIRED", "SUSPENDED"})
    void aNewJobInAnyStateButInQueueIsRefused(String state) {
        assertThat(rejected(job(j -> ((ObjectNode) j.get("status")).put("state", state))))
                .isEqualTo("items[0].status.state: a new job is IN_QUEUE (or has no state), got " + state);
    }

    @Test
    void aNewJobWithoutAStateIsAccepted() {
        ObjectNode job = vmJob("4242");
        ((ObjectNode) job.get("status")).remove("state");

        assertThat(api.post(JOBS, bulk(job)).statusCode()).isEqualTo(200);
        assertThat(api.store.find("4242")).isPresent();
    }

    @Test
    void aProductOfAnotherProviderIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("product")).put("provider", "elsewhere"))))
                .isEqualTo("items[0].specification.product.provider: must be this provider, '" + PROVIDER
                        + "', got 'elsewhere'");
    }

    @Test
    void aProductWithoutProviderIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("product")).remove("provider"))))
                .isEqualTo("items[0].specification.product.provider: must be this provider, '" + PROVIDER
                        + "', got nothing");
    }

    @Test
    void aMissingProductIsRefused() {
        assertThat(rejected(job(j -> spec(j).remove("product"))))
                .startsWith("items[0].specification.product: a job needs a product");
    }

    @Test
    void aProductIdWithControlCharactersIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("product")).put("id", "u1-standard-4\r\n"))))
                .startsWith("items[0].specification.product.id: may not contain control characters");
    }

    @Test
    void aMissingApplicationIsRefused() {
        assertThat(rejected(job(j -> spec(j).remove("application"))))
                .startsWith("items[0].specification.application: a job needs an application");
    }

    @Test
    void anApplicationWithoutAVersionIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("application")).put("version", " "))))
                .isEqualTo("items[0].specification.application.version: is empty");
    }

    @Test
    void anApplicationNameWithControlCharactersIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("application")).put("name", "debian\u0000vm"))))
                .isEqualTo("items[0].specification.application.name: may not contain control characters "
                        + "(U+0000-U+001F, U+007F-U+009F), got 'debian\\u0000vm'");
    }

    @Test
    void aFolderPathWithControlCharactersIsRefused() {
        for (String control : CONTROLS) {
            assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("resources").get(1))
                    .put("path", "/17/Ref" + control + "erence"))))
                    .as("U+%04X", (int) control.charAt(0))
                    .startsWith("items[0].specification.resources[1].path: may not contain control characters");
        }
    }

    @Test
    void aFolderMountPathWithControlCharactersIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("resources").get(0))
                .put("mountPath", "/mnt/data\n"))))
                .startsWith("items[0].specification.resources[0].mountPath: may not contain control characters");
    }

    @Test
    void aFolderWithoutAPathIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("resources").get(0)).remove("path"))))
                .isEqualTo("items[0].specification.resources[0].path: a file needs a path");
    }

    @Test
    void aFileParameterWithControlCharactersIsRefused() {
        assertThat(rejected(job(j -> ((ObjectNode) spec(j).get("parameters")).putObject("input")
                .put("type", "file").put("path", "/17/in\u007fput"))))
                .startsWith("items[0].specification.parameters.input.path: may not contain control characters");
    }

    @Test
    void aTextParameterMayHoldLineBreaks() {
        ObjectNode job = vmJob("4242");
        ((ObjectNode) spec(job).get("parameters")).putObject("script").put("type", "text")
                .put("value", "line 1\nline 2\n");

        assertThat(api.post(JOBS, bulk(job)).statusCode()).isEqualTo(200);
    }

    @Test
    void aHostnameWithControlCharactersIsRefused() {
        assertThat(rejected(job(j -> spec(j).put("hostname", "vm\u0000"))))
                .startsWith("items[0].specification.hostname: may not contain control characters");
    }

    @Test
    void aMissingSpecificationIsRefused() {
        assertThat(rejected(job(j -> j.remove("specification"))))
                .isEqualTo("items[0].specification: a job needs a specification");
    }

    @Test
    void everyBrokenRuleOfAJobIsNamedAtOnce() {
        String why = rejected(job(j -> {
            ((ObjectNode) j.get("owner")).put("createdBy", "..");
            spec(j).put("replicas", 0);
            ((ObjectNode) spec(j).get("product")).put("provider", "elsewhere");
        }));

        assertThat(why).contains("items[0].owner.createdBy: ", "; items[0].specification.replicas: ",
                "; items[0].specification.product.provider: ");
    }

    @Test
    void oneBadJobStopsTheWholeBulk() {
        ObjectNode bad = vmJob("2");
        ((ObjectNode) bad.get("owner")).put("createdBy", "..");

        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("1"), bad));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode items = json(response).get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(items.get(0).get("id").asString()).isEqualTo("2");
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls("start")).isEmpty();
    }

    @Test
    void terminateOfAJobThatBreaksARuleIs400AndDoesNothing() {
        assertThat(api.post(JOBS, bulk(vmJob("4242"))).statusCode()).isEqualTo(200);
        ObjectNode bad = vmJob("4242");
        ((ObjectNode) bad.get("owner")).putNull("createdBy");

        HttpResponse<String> response = api.post(JOBS + "/terminate", bulk(bad));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .isEqualTo("items[0].owner.createdBy: is missing");
        assertThat(api.backend.calls("terminate")).isEmpty();
    }

    @Test
    void suspendNamesTheFieldInsideTheWrapper() {
        assertThat(api.post(JOBS, bulk(vmJob("4242"))).statusCode()).isEqualTo(200);
        ObjectNode bad = vmJob("4242");
        spec(bad).put("replicas", 0);

        HttpResponse<String> response = api.post(JOBS + "/suspend", wrappedBulk(bad));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .isEqualTo("items[0].job.specification.replicas: must be a positive integer, got 0");
        assertThat(api.backend.calls("suspend")).isEmpty();
    }

    @Test
    void aRunningJobCanBeTerminated() {
        assertThat(api.post(JOBS, bulk(vmJob("4242"))).statusCode()).isEqualTo(200);
        ObjectNode running = vmJob("4242");
        ((ObjectNode) running.get("status")).put("state", "RUNNING");

        assertThat(api.post(JOBS + "/terminate", bulk(running)).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();   // the terminate runs behind the answer
        assertThat(api.backend.calls("terminate")).containsExactly("4242");
    }
}
