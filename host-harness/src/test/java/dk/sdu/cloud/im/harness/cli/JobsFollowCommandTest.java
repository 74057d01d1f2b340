package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.api.ApiFixture;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.client.FollowStream;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.StaticTokenCredentials;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code HarnessClient.follow} and {@code ucloud-im jobs follow} against the provider API's follow stream. */
class JobsFollowCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private RecordingBackend backend;
    private ApiFixture api;

    @BeforeEach
    void start() {
        backend = new RecordingBackend();
        api = ApiFixture.start(dir, backend);
        assertThat(api.post(JOBS, bulk(vmJob("4242"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String[] at(String... command) {
        String[] args = new String[command.length + 4];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--url";
        args[command.length + 1] = api.uri("").toString();
        args[command.length + 2] = "--core-key";
        args[command.length + 3] = TestCoreKeys.writePrivateKey(dir.resolve("core_private_key.pem")).toString();
        return args;
    }

    @Test
    void theClientGetsTheMessagesAndTheEnd() throws Exception {
        List<FollowMessage> messages = new CopyOnWriteArrayList<>();
        CompletableFuture<String> ended = new CompletableFuture<>();
        HarnessClient client = new HarnessClient(api.uri(""), ApiFixture.CREDENTIALS, DEADLINE);
        try (FollowStream stream = client.follow("4242", new FollowStream.Listener() {
            @Override
            public void message(FollowMessage message) {
                messages.add(message);
            }

            @Override
            public void ended(int status, String why) {
                ended.complete(status + " " + why);
            }
        })) {
            await().atMost(DEADLINE).until(() -> !messages.isEmpty());
            backend.emit(FollowMessage.onChannel(0, "utilization-data", "{\"cpu\":1}"));
            backend.endFollows("the job ended");
            assertThat(ended.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200 the stream ended");
            assertThat(messages).containsExactly(FollowMessage.stdout(0, RecordingBackend.FOLLOW_GREETING),
                    FollowMessage.onChannel(0, "utilization-data", "{\"cpu\":1}"));
        }
    }

    @Test
    void refusedCredentialsAre401WithTheHint() {
        HarnessClient client = new HarnessClient(api.uri(""), new StaticTokenCredentials("wrong"), DEADLINE);
        assertThatThrownBy(() -> client.follow("4242", new FollowStream.Listener() {
            @Override
            public void message(FollowMessage message) {
            }

            @Override
            public void ended(int status, String why) {
            }
        })).isInstanceOf(HarnessClientException.class).hasMessageContaining("refused the credentials (HTTP 401")
                .satisfies(e -> assertThat(((HarnessClientException) e).status()).isEqualTo(401));
        assertThat(backend.calls("follow")).isEmpty();
    }

    @Test
    void theCommandPrintsCountMessagesOfAChannel() {
        CompletableFuture<CliRuns.Run> running = CompletableFuture.supplyAsync(() ->
                run(at("jobs", "follow", "4242", "--channel", "kv", "--count", "1", "--timeout", "30")));
        await().atMost(DEADLINE).until(() -> backend.calls().contains("follow 4242 0"));
        backend.emit(FollowMessage.stdout(0, "not on the channel"));
        backend.emit(FollowMessage.onChannel(0, "kv", "{\"os\":\"Ubuntu\"}"));

        CliRuns.Run result = running.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("{\"os\":\"Ubuntu\"}\n");
        await().atMost(DEADLINE).until(() -> backend.calls().contains("closeFollow 4242"));
    }

    @Test
    void theCommandPrintsLogLinesUntilTheStreamEnds() {
        CompletableFuture<CliRuns.Run> running = CompletableFuture.supplyAsync(() ->
                run(at("jobs", "follow", "4242")));
        await().atMost(DEADLINE).until(() -> backend.calls().contains("follow 4242 0"));
        backend.emit(FollowMessage.onChannel(0, "utilization-data", "{\"cpu\":1}"));
        backend.endFollows("the job ended");

        CliRuns.Run result = running.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(RecordingBackend.FOLLOW_GREETING + "\n[utilization-data] {\"cpu\":1}\n");
    }

    @Test
    void anUnknownJobIsExitStatus4() {
        CliRuns.Run result = run(at("jobs", "follow", "9999"));
        assertThat(result.status()).isEqualTo(JobsCommand.NOT_FOUND);
    }
}
