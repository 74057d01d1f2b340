package dk.sdu.cloud.im.harness.core;

import dk.sdu.cloud.im.harness.auth.CoreClaims;
import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The harness playing Core: its files, its refusals, and what it records and answers. */
class LocalCoreTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";

    @TempDir
    Path temp;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, JsonNode> jobs = new java.util.concurrent.ConcurrentHashMap<>();
    private LocalCore core;
    private CoreClient client;

    @BeforeEach
    void start() {
        core = start(temp.resolve("core"));
        client = new CoreClient(core.url(), core.serverFile(), http, clock, new RecordingSleeper(),
                CoreClientSettings.DEFAULT);
    }

    private LocalCore start(Path folder) {
        return LocalCore.start(new LocalCoreSettings("k8s", folder, "127.0.0.1", 0), clock,
                jobId -> {
                    if (jobId.contains("/")) {
                        throw new IllegalArgumentException("not a job id usable as a file name: '" + jobId + "'");
                    }
                    return jobId.equals("j-1") ? List.of(KEY) : List.of();
                }, id -> Optional.ofNullable(jobs.get(id)));
    }

    @AfterEach
    void stop() {
        core.close();
    }

    @Test
    void itKeepsItsKeyPairPublicKeyAndRefreshTokenAcrossRestarts() throws IOException {
        Path folder = temp.resolve("core");
        Path serverYml = folder.resolve(ServerFile.FILE);
        assertThat(Files.getPosixFilePermissions(serverYml)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(UCloudPublicKeyFile.read(folder)).isEqualTo(core.keyPair().publicKey());
        String token = core.serverFile().refreshToken();
        assertThat(ServerFile.read(folder).refreshToken()).isEqualTo(token);

        core.close();
        core = start(folder);

        assertThat(core.serverFile().refreshToken()).isEqualTo(token);
        assertThat(core.keyPair().publicKey()).isEqualTo(UCloudPublicKeyFile.read(folder));
    }

    @Test
    void aCallWithoutTokenIsRefusedWithCoresErrorShape() throws Exception {
        HttpResponse<String> response = post(LocalCore.JOB_UPDATE, "{\"items\":[]}", Optional.empty());

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("statusCode").asInt()).isEqualTo(401);
        assertThat(error.path("why").asString()).contains("no access token");
        assertThat(error.has("errorCode")).isTrue();
        assertThat(error.has("detailedCode")).isTrue();
    }

    @Test
    void tokensNotOfThisProvidersKeyRoleOrTimeAreRefused() throws Exception {
        CoreTokenSigner otherKey = new CoreTokenSigner(ProviderKeyPair.generate().privateKey(), clock);
        CoreTokenSigner ownKey = new CoreTokenSigner(core.keyPair().privateKey(), clock);
        Map<String, String> refusals = Map.of(
                "not-a-jwt", "not a signed JWT",
                otherKey.providerAccessToken("k8s"), "not signed with this provider's key",
                ownKey.providerAccessToken("other"), "not one of provider 'k8s'",
                core.serviceToken(), "not one of provider 'k8s'",
                ownKey.sign(ownKey.claims("#P_k8s", CoreClaims.PROVIDER_ROLE, CoreClaims.PROVIDER_PRINCIPAL)
                        .issuer("elsewhere").build()), "issuer");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> response = post(LocalCore.JOB_UPDATE, "{\"items\":[]}", Optional.of(refusal.getKey()));
            assertThat(response.statusCode()).as(refusal.getValue()).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).path("why").asString()).contains(refusal.getValue());
        }

        String valid = core.providerAccessToken();
        assertThat(post(LocalCore.JOB_UPDATE, "{\"items\":[]}", Optional.of(valid)).statusCode()).isEqualTo(200);
        clock.advance(CoreTokenSigner.LIFETIME);
        HttpResponse<String> expired = post(LocalCore.JOB_UPDATE, "{\"items\":[]}", Optional.of(valid));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(expired.body()).path("why").asString()).contains("expired");
    }

    @Test
    void badBodiesGet400AndChangeNothing() throws Exception {
        String token = core.providerAccessToken();
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("{not json", "not JSON");
        bodies.put("[1]", "must be a JSON object");
        bodies.put("{}", "{\"items\": [...]}");
        bodies.put("{\"items\":[{\"update\":{}}]}", "items[0].id must be a non-empty text");
        bodies.put("{\"items\":[{\"id\":\"j-1\",\"update\":{}},{\"id\":\"j-2\",\"update\":3}]}",
                "items[1].update must be an object");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            HttpResponse<String> response = post(LocalCore.JOB_UPDATE, body.getKey(), Optional.of(token));
            assertThat(response.statusCode()).as(body.getKey()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("statusCode").asInt()).isEqualTo(400);
            assertThat(error.path("why").asString()).contains(body.getValue());
        }
        HttpResponse<String> labels = post(LocalCore.JOB_LABELS, "{\"items\":[{\"id\":\"j-1\",\"labels\":{\"a\":1}}]}",
                Optional.of(token));
        assertThat(labels.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(labels.body()).path("why").asString()).contains("items[0].labels.a must be a text");
        HttpResponse<String> notAnObject = post(LocalCore.JOB_LABELS, "{\"items\":[{\"id\":\"j-1\",\"labels\":[]}]}",
                Optional.of(token));
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notAnObject.body()).path("why").asString())
                .contains("items[0].labels must be an object of texts");
        HttpResponse<String> register = post(LocalCore.DRIVE_REGISTER, "{\"items\":[{\"createdBy\":\"alice\"}]}",
                Optional.of(token));
        assertThat(register.statusCode()).isEqualTo(400);
        HttpResponse<String> refresh = post(CoreClient.REFRESH_PATH, "{\"items\":[]}", Optional.empty());
        assertThat(refresh.statusCode()).isEqualTo(400);
        HttpResponse<String> badJob = post(LocalCore.SSH_KEYS, "{\"jobId\":\"../x\",\"owner\":true}", Optional.of(token));
        assertThat(badJob.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badJob.body()).path("why").asString()).contains("not a job id");
        HttpResponse<String> badOwner = post(LocalCore.SSH_KEYS, "{\"jobId\":\"j-1\",\"owner\":\"yes\"}",
                Optional.of(token));
        assertThat(badOwner.statusCode()).isEqualTo(400);
        HttpResponse<String> noId = get(LocalCore.JOB_RETRIEVE, token);
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noId.body()).path("why").asString()).contains("'id' is required");

        assertThat(core.allUpdates()).isEmpty();
        assertThat(core.labels("j-1")).isEmpty();
        assertThat(core.drives()).isEmpty();
    }

    @Test
    void anUnknownRefreshTokenGets401() throws Exception {
        HttpResponse<String> response = post(CoreClient.REFRESH_PATH,
                "{\"items\":[{\"refreshToken\":\"guess\"}]}", Optional.empty());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(core.refreshCount()).isZero();
    }

    @Test
    void itRecordsUpdatesAndLabelsPerJobInOrder() throws CoreCallException {
        client.post(LocalCore.JOB_UPDATE, Map.of("items", List.of(
                Map.of("id", "j-1", "update", Map.of("state", "IN_QUEUE")),
                Map.of("id", "j-2", "update", Map.of("status", "other")),
                Map.of("id", "j-1", "update", Map.of("state", "RUNNING")))));
        client.post(LocalCore.JOB_LABELS, Map.of("items", List.of(
                Map.of("id", "j-1", "labels", Map.of("ucloud.dk/service-ip-address", "10.0.0.7")))));

        assertThat(core.updates("j-1")).extracting(u -> u.path("state").asString()).containsExactly("IN_QUEUE", "RUNNING");
        assertThat(core.updates("j-2")).hasSize(1);
        assertThat(core.allUpdates()).extracting(ReceivedUpdate::jobId).containsExactly("j-1", "j-2", "j-1");
        assertThat(core.labels("j-1")).containsExactly(Map.of("ucloud.dk/service-ip-address", "10.0.0.7"));
    }

    @Test
    void itRecordsTheAddressesOfPublicIpsAsTheIpControlSendsThem() throws CoreCallException {
        new CorePublicIpControl(client).ready("ip-1", "192.0.2.10", 1234);

        assertThat(core.publicIpUpdates("ip-1")).singleElement().satisfies(update -> {
            assertThat(update.path("state").asString()).isEqualTo("READY");
            assertThat(update.path("changeIpAddress").asBoolean()).isTrue();
            assertThat(update.path("newIpAddress").asString()).isEqualTo("192.0.2.10");
            assertThat(update.path("timestamp").asLong()).isEqualTo(1234);
        });
        assertThat(core.publicIpUpdates("ip-2")).isEmpty();
    }

    @Test
    void aForgottenJobIsGone() throws CoreCallException {
        core.forgetJob("j-9");

        CoreCallException e = catchThrowableOfType(CoreCallException.class, () -> client.post(LocalCore.JOB_UPDATE,
                Map.of("items", List.of(Map.of("id", "j-1", "update", Map.of()),
                        Map.of("id", "j-9", "update", Map.of("state", "RUNNING"))))));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.why()).isEqualTo("Not found or permission denied (j-9)");
        assertThat(core.allUpdates()).isEmpty();
        JsonNode exists = client.post(LocalCore.CHECK_EXISTENCE, Map.of("items", List.of(
                Map.of("type", "job", "id", "j-9"), Map.of("type", "job", "id", "j-1"))));
        assertThat(exists.path("responses").get(0).asBoolean()).isFalse();
        assertThat(exists.path("responses").get(1).asBoolean()).isTrue();
        assertThat(catchThrowableOfType(CoreCallException.class, () -> client.post(LocalCore.JOB_LABELS,
                Map.of("items", List.of(Map.of("id", "j-9", "labels", Map.of())))))
                .status()).isEqualTo(404);
    }

    @Test
    void jobsAndSshKeysComeFromTheirSources() throws CoreCallException {
        jobs.put("j-1", JSON.readTree("{\"id\":\"j-1\",\"owner\":{\"createdBy\":\"alice\"}}"));

        assertThat(client.get(LocalCore.JOB_RETRIEVE, Map.of("id", "j-1", "includeParameters", "true"))
                .path("owner").path("createdBy").asString()).isEqualTo("alice");
        assertThat(catchThrowableOfType(CoreCallException.class,
                () -> client.get(LocalCore.JOB_RETRIEVE, Map.of("id", "j-404"))).status()).isEqualTo(404);

        JsonNode page = client.post(LocalCore.SSH_KEYS, Map.of("jobId", "j-1", "owner", true));
        assertThat(page.path("next").isNull()).isTrue();
        assertThat(page.path("items")).hasSize(1);
        JsonNode key = page.path("items").get(0);
        assertThat(key.path("owner").asString()).isEqualTo("alice");
        assertThat(key.path("specification").path("key").asString()).isEqualTo(KEY);
        assertThat(key.path("specification").path("title").asString()).isEqualTo("alice@laptop");
        assertThat(key.path("fingerprint").asString()).startsWith("SHA256:");
        assertThat(new CoreSshKeys(client).ownerKeys("j-1")).containsExactly(KEY);
        assertThat(new CoreSshKeys(client).ownerKeys("j-2")).isEmpty();
    }

    @Test
    void drivesAreRegisteredRetrievedAndUnknownOnesAre404() throws CoreCallException {
        ObjectNode home = JSON.createObjectNode();
        home.put("providerGeneratedId", "h-bob");
        String bobs = core.addDrive(home);

        JsonNode registered = client.post(LocalCore.DRIVE_REGISTER, Map.of("items", List.of(Map.of(
                "spec", Map.of("title", "Home", "product", Map.of("id", "storage", "category", "storage",
                        "provider", "k8s")),
                "providerGeneratedId", "h-alice", "createdBy", "alice", "projectAllRead", false))));
        String id = registered.path("responses").get(0).path("id").asString();

        assertThat(id).isNotEqualTo(bobs);
        JsonNode drive = client.get(LocalCore.DRIVE_RETRIEVE, Map.of("id", id));
        assertThat(drive.path("providerGeneratedId").asString()).isEqualTo("h-alice");
        assertThat(drive.path("owner").path("createdBy").asString()).isEqualTo("alice");
        assertThat(drive.path("specification").path("product").path("id").asString()).isEqualTo("storage");
        assertThat(client.get(LocalCore.DRIVE_RETRIEVE, Map.of("id", bobs)).path("providerGeneratedId").asString())
                .isEqualTo("h-bob");
        CoreCallException unknown = catchThrowableOfType(CoreCallException.class,
                () -> client.get(LocalCore.DRIVE_RETRIEVE, Map.of("id", "999")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.why()).isEqualTo("Not found or permission denied (999)");
        assertThat(core.drives()).hasSize(2);
    }

    @Test
    void sharesItHoldsAreRetrieved() throws CoreCallException {
        ObjectNode share = JSON.createObjectNode();
        share.put("id", "s-7");
        share.putObject("specification").put("sourceFilePath", "/12/shared");
        core.addShare(share);

        assertThat(client.get(LocalCore.SHARE_RETRIEVE, Map.of("id", "s-7")).path("specification")
                .path("sourceFilePath").asString()).isEqualTo("/12/shared");
        assertThat(catchThrowableOfType(CoreCallException.class,
                () -> client.get(LocalCore.SHARE_RETRIEVE, Map.of("id", "s-8"))).status()).isEqualTo(404);
    }

    @Test
    void anUnknownCallIs404InCoresShape() throws Exception {
        HttpResponse<String> response = post("/api/nothing/here", "{}", Optional.of(core.providerAccessToken()));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("statusCode").asInt()).isEqualTo(404);
    }

    private HttpResponse<String> post(String path, String body, Optional<String> token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(core.url() + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(core.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
