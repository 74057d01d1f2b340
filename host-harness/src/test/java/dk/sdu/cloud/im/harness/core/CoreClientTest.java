package dk.sdu.cloud.im.harness.core;

import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.testdata.RefusingPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link CoreClient} over real HTTP: against the harness's Core, and against a scripted Core for failures. */
class CoreClientTest {
    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    private static final Map<String, Object> UPDATE = Map.of("items", List.of(Map.of("id", "j-1",
            "update", Map.of("state", "RUNNING", "timestamp", 1))));

    @TempDir
    Path temp;

    private final SettableClock clock = new SettableClock(START);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalCore core;

    @BeforeEach
    void startCore() {
        core = LocalCore.start(new LocalCoreSettings("k8s", temp.resolve("core"), "127.0.0.1", 0), clock,
                noKeys(), id -> Optional.empty());
    }

    @AfterEach
    void stopCore() {
        core.close();
    }

    private static SshKeyDirectory noKeys() {
        return jobId -> List.of();
    }

    private CoreClient client(URI url, ServerFile credentials, SettableClock clientClock) {
        return new CoreClient(url, credentials, http, clientClock, sleeper, CoreClientSettings.DEFAULT);
    }

    private CoreClient client() {
        return client(core.url(), core.serverFile(), clock);
    }

    @Test
    void theFirstCallGetsAnAccessTokenAndLaterCallsKeepIt() throws CoreCallException {
        CoreClient client = client();
        assertThat(core.refreshCount()).isZero();

        client.post(LocalCore.JOB_UPDATE, UPDATE);
        client.post(LocalCore.JOB_UPDATE, UPDATE);
        JsonNode exists = client.post(LocalCore.CHECK_EXISTENCE, Map.of("items", List.of(Map.of("type", "job",
                "id", "j-1"))));

        assertThat(core.refreshCount()).isEqualTo(1);
        assertThat(core.updates("j-1")).hasSize(2);
        assertThat(exists.path("responses").get(0).asBoolean()).isTrue();
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void theTokenIsRenewedWhenLessThanThreeMinutesAreLeft() throws CoreCallException {
        CoreClient client = client();
        client.post(LocalCore.JOB_UPDATE, UPDATE);

        clock.advance(Duration.ofMinutes(6)); // 4 minutes left
        client.post(LocalCore.JOB_UPDATE, UPDATE);
        assertThat(core.refreshCount()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // under 3 minutes left
        client.post(LocalCore.JOB_UPDATE, UPDATE);
        assertThat(core.refreshCount()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        client.post(LocalCore.JOB_UPDATE, UPDATE);
        assertThat(core.refreshCount()).isEqualTo(2);
    }

    @Test
    void aTokenCoreRefusesIsRenewedOnceAndTheCallTriedAgain() throws CoreCallException {
        // The client's clock lags: it takes the token for valid while Core finds it expired.
        SettableClock lagging = new SettableClock(START);
        CoreClient client = client(core.url(), core.serverFile(), lagging);
        client.post(LocalCore.JOB_UPDATE, UPDATE);
        clock.advance(Duration.ofMinutes(11));

        client.post(LocalCore.JOB_UPDATE, UPDATE);

        assertThat(core.refreshCount()).isEqualTo(2);
        assertThat(core.updates("j-1")).hasSize(2);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void aRefusalThatStaysAfterTheRenewalIsFinal() {
        try (ScriptedCore scripted = new ScriptedCore(token())) {
            scripted.answer(new ScriptedCore.Answer(401, ScriptedCore.error(401, "Unauthorized")));
            CoreClient client = client(scripted.url(), credentials(), clock);

            CoreCallException e = catchThrowableOfType(CoreCallException.class,
                    () -> client.post(LocalCore.JOB_UPDATE, UPDATE));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.why()).isEqualTo("Unauthorized");
            assertThat(scripted.refreshes()).isEqualTo(2);
            assertThat(sleeper.sleeps()).isEmpty();
        }
    }

    @Test
    void anUnavailableCoreIsAskedAgainWithGrowingWaits() throws CoreCallException {
        try (ScriptedCore scripted = new ScriptedCore(token())) {
            scripted.answer(new ScriptedCore.Answer(503, ScriptedCore.error(503, "busy")),
                    new ScriptedCore.Answer(503, ScriptedCore.error(503, "busy")),
                    new ScriptedCore.Answer(200, "{\"responses\":[true]}"));
            CoreClient client = client(scripted.url(), credentials(), clock);

            JsonNode answer = client.post(LocalCore.CHECK_EXISTENCE, Map.of("items", List.of()));

            assertThat(answer.path("responses").get(0).asBoolean()).isTrue();
            assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(scripted.refreshes()).isEqualTo(1);
        }
    }

    @Test
    void theLastFailureCarriesCoresStatusAndWhy() {
        try (ScriptedCore scripted = new ScriptedCore(token())) {
            scripted.answer(new ScriptedCore.Answer(503, ScriptedCore.error(503, "down for maintenance")));
            CoreClient client = client(scripted.url(), credentials(), clock);

            CoreCallException e = catchThrowableOfType(CoreCallException.class,
                    () -> client.get(LocalCore.JOB_RETRIEVE, Map.of("id", "j-1")));

            assertThat(e.status()).isEqualTo(503);
            assertThat(e.why()).isEqualTo("down for maintenance");
            assertThat(e.call()).isEqualTo("GET " + LocalCore.JOB_RETRIEVE);
            assertThat(e.getMessage()).contains("answered 503: down for maintenance");
            assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
                    Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(scripted.received().stream().filter(r -> !r.path().startsWith(CoreClient.REFRESH_PATH)))
                    .hasSize(CoreClientSettings.DEFAULT.attempts())
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo(LocalCore.JOB_RETRIEVE + "?id=j-1"));
        }
    }

    @Test
    void aRefusalThatWillNotChangeIsNotTriedAgain() {
        try (ScriptedCore scripted = new ScriptedCore(token())) {
            scripted.answer(new ScriptedCore.Answer(404, ScriptedCore.error(404, "Not found or permission denied (j-9)")));
            CoreClient client = client(scripted.url(), credentials(), clock);

            CoreCallException e = catchThrowableOfType(CoreCallException.class,
                    () -> client.post(LocalCore.JOB_UPDATE, UPDATE));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.notFound()).isTrue();
            assertThat(e.why()).isEqualTo("Not found or permission denied (j-9)");
            assertThat(sleeper.sleeps()).isEmpty();
        }
    }

    @Test
    void aCoreThatDoesNotAnswerIsTriedAgainThenReportedWithStatusZero() {
        CoreCallException e;
        try (RefusingPort nothing = RefusingPort.open()) {
            CoreClient client = client(nothing.httpUrl(), credentials(), clock);
            e = catchThrowableOfType(CoreCallException.class, () -> client.post(LocalCore.JOB_UPDATE, UPDATE));
        }

        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        assertThat(e.call()).isEqualTo("POST " + CoreClient.REFRESH_PATH);
        assertThat(sleeper.sleeps()).hasSize(CoreClientSettings.DEFAULT.attempts() - 1);
    }

    @Test
    void aRefreshTokenCoreDoesNotKnowIsAClearErrorNamingTheFile() {
        ServerFile wrong = new ServerFile(temp.resolve("etc").resolve("server.yml"), "not-the-token", false);
        CoreClient client = client(core.url(), wrong, clock);

        CoreCallException e = catchThrowableOfType(CoreCallException.class,
                () -> client.post(LocalCore.JOB_UPDATE, UPDATE));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.why()).contains("does not know the refresh token in " + wrong.file())
                .contains("refreshToken");
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(core.refreshCount()).isZero();
    }

    @Test
    void callersWaitingForATokenShareOneRenewal() throws Exception {
        CoreClient client = client();
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return client.post(LocalCore.JOB_UPDATE, UPDATE);
                }));
            }
            go.countDown();
            for (Future<JsonNode> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(core.refreshCount()).isEqualTo(1);
        assertThat(core.updates("j-1")).hasSize(callers);
    }

    @Test
    void queryValuesAreEncoded() throws CoreCallException {
        try (ScriptedCore scripted = new ScriptedCore(token())) {
            scripted.answer(new ScriptedCore.Answer(200, "{}"));
            client(scripted.url(), credentials(), clock).get(LocalCore.DRIVE_RETRIEVE, Map.of("id", "a b&c"));

            assertThat(scripted.received().get(1).path()).isEqualTo(LocalCore.DRIVE_RETRIEVE + "?id=a+b%26c");
            assertThat(scripted.received().get(1).authorization()).isEqualTo("Bearer " + token());
        }
    }

    private String cachedToken;

    private String token() {
        if (cachedToken == null) {
            cachedToken = new CoreTokenSigner(ProviderKeyPair.generate().privateKey(), clock).providerAccessToken("k8s");
        }
        return cachedToken;
    }

    private ServerFile credentials() {
        return new ServerFile(temp.resolve("server.yml"), "some-token", false);
    }
}
