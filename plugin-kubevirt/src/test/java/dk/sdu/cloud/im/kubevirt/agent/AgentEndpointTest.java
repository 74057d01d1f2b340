package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRenderer;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRequest;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent endpoint against fake connections, a clock and timers the test moves, and tokens in cloud-init
 * Secrets on the embedded API server: every rule of {@code docs/agent-protocol.md} on the IM's side.
 */
class AgentEndpointTest extends EmbeddedClusterTest {
    private static final String ADDRESS = "10.0.0.7:40001";
    private static final String KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA alice@laptop";
    private static final String KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB alice@desktop";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final ManualTimers timers = new ManualTimers(clock);
    private final RecordingJobUpdates updates = new RecordingJobUpdates();
    private final Keys keys = new Keys();
    private AgentEndpoint endpoint;
    private String job;
    private String otherJob;
    private AgentTokens tokens;
    private AgentTokens otherTokens;

    @BeforeEach
    void makeEndpoint() {
        job = unique + "a";
        otherJob = unique + "b";
        tokens = new AgentTokens("agent-token-" + unique + "-aaaaaaaaaaaaaaaaaaaa", "server-token-" + unique + "-a");
        otherTokens = new AgentTokens("agent-token-" + unique + "-bbbbbbbbbbbbbbbbbbbb", "server-token-" + unique + "-b");
        secretFor(job, tokens);
        secretFor(otherJob, otherTokens);
        keys.set(job, List.of(KEY_A));
        endpoint = newEndpoint();
    }

    @AfterEach
    void closeEndpoint() {
        endpoint.close();
    }

    // --- routes ---

    @Test
    void theRoutesComeFromTheAgentEndpointUrlWithBoundedFrames() {
        List<WebSocketRoute> routes = AgentRoutes.of("ws://ucloud-im:42000/api/vmagent", endpoint);
        assertThat(routes).extracting(WebSocketRoute::port).containsExactly(42000, 42000);
        assertThat(routes).extracting(WebSocketRoute::path).containsExactly("/api/vmagent", "/api/vmagent/tty");
        assertThat(routes).extracting(WebSocketRoute::maxFrameBytes).containsExactly(64 * 1024, 64 * 1024);

        assertThat(AgentRoutes.of("wss://im.example.org/agent/", endpoint))
                .extracting(WebSocketRoute::port, WebSocketRoute::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(443, "/agent/"),
                        org.assertj.core.groups.Tuple.tuple(443, "/agent/tty"));
        assertThat(AgentRoutes.of("ws://im", endpoint)).extracting(WebSocketRoute::port, WebSocketRoute::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(80, "/"),
                        org.assertj.core.groups.Tuple.tuple(80, "/tty"));
    }

    @Test
    void atPortZeroBothRoutesAskTheHostForAPortAndTheGuestsAreToldTheOneItBound() {
        AgentEndpointUrl url = new AgentEndpointUrl("ws://127.0.0.1:0/api/vmagent");
        List<WebSocketRoute> routes = AgentRoutes.of(url, endpoint);
        assertThat(routes).extracting(WebSocketRoute::port).containsExactly(0, 0);

        routes.forEach(route -> route.handler().listening(40123));

        assertThat(url.url()).isEqualTo("ws://127.0.0.1:40123/api/vmagent");
    }

    // --- authentication ---

    @Test
    void theRightTokenIsWelcomedWithTheServerTokenAndThenTheOwnersKeys() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);

        assertThat(agent.closeCode()).isNull();
        assertThat(agent.types()).containsExactly("welcome", "sshKeys");
        assertThat(agent.binaries()).as("the control connection is all text").isEmpty();
        assertThat(agent.frames().get(0).path("serverToken").asString()).isEqualTo(tokens.serverToken());
        assertThat(strings(agent.last("sshKeys").path("keys"))).containsExactly(KEY_A);
        assertThat(endpoint.isConnected(job)).isTrue();
        assertThat(endpoint.isConnected(otherJob)).isFalse();
    }

    @Test
    void aWrongTokenIsRefusedWith4401AndNothingElse() {
        FakeConnection agent = hello(job, tokens.agentToken() + "x", "start-1", ADDRESS);

        assertRefused(agent);
        assertThat(agent.closeReason()).doesNotContain(tokens.agentToken());
    }

    @Test
    void anotherJobsTokenIsRefusedTheSameWay() {
        FakeConnection agent = hello(job, otherTokens.agentToken(), "start-1", ADDRESS);

        assertRefused(agent);
        assertThat(endpoint.isConnected(job)).isFalse();
        assertThat(endpoint.isConnected(otherJob)).isFalse();
    }

    @Test
    void anUnknownJobIsRefusedExactlyLikeAWrongToken() {
        FakeConnection unknown = hello(unique + "nosuchjob", tokens.agentToken(), "start-1", "10.0.0.8:1");
        FakeConnection notALabel = hello("../" + job, tokens.agentToken(), "start-1", "10.0.0.9:1");
        FakeConnection wrong = hello(job, "wrong", "start-1", "10.0.0.10:1");

        assertRefused(unknown);
        assertRefused(notALabel);
        assertRefused(wrong);
        assertThat(unknown.closeReason()).isEqualTo(wrong.closeReason()).isEqualTo(notALabel.closeReason());
    }

    @Test
    void garbageIsAProtocolError() {
        for (String garbage : List.of("not json", "[1, 2]", "\"hello\"", "{}", "{\"type\": 7}",
                "{\"type\": \"heartbeat\"}",
                "{\"type\": \"hello\", \"jobId\": \"" + job + "\", \"startId\": \"s\"}",
                "{\"type\": \"hello\", \"jobId\": 42, \"token\": \"t\", \"startId\": \"s\"}")) {
            FakeConnection agent = FakeConnection.connect(endpoint.controlHandler(), ADDRESS);
            agent.send(garbage);
            assertThat(agent.closeCode()).as(garbage).isEqualTo(4400);
            assertThat(agent.texts()).as(garbage).isEmpty();
        }
    }

    @Test
    void afterWelcomeAnUnknownTypeOrAnotherHelloIsAProtocolError() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        agent.send("{\"type\": \"reboot\"}");
        assertThat(agent.closeCode()).isEqualTo(4400);
        assertThat(agent.closeReason()).contains("reboot");
        assertThat(endpoint.isConnected(job)).isFalse();

        FakeConnection again = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        again.send(helloFrame(job, tokens.agentToken(), "start-1"));
        assertThat(again.closeCode()).isEqualTo(4400);
    }

    @Test
    void aBinaryFrameOnTheControlConnectionIsAProtocolError() {
        FakeConnection before = FakeConnection.connect(endpoint.controlHandler(), ADDRESS);
        before.sendBinary(new byte[]{1, 2, 3});
        assertThat(before.closeCode()).isEqualTo(4400);

        FakeConnection live = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        live.sendBinary(new byte[]{1});
        assertThat(live.closeCode()).isEqualTo(4400);
    }

    @Test
    void withoutHelloWithinTenSecondsTheConnectionIsClosedWith4408() {
        FakeConnection agent = FakeConnection.connect(endpoint.controlHandler(), ADDRESS);

        timers.advance(Duration.ofMillis(9_999));
        assertThat(agent.closeCode()).isNull();
        timers.advance(Duration.ofMillis(1));
        assertThat(agent.closeCode()).isEqualTo(4408);
        assertThat(agent.texts()).isEmpty();
    }

    @Test
    void repeatedFailuresFromOneHostAreAnsweredEverMoreSlowly() {
        for (int i = 0; i < 3; i++) {
            assertRefused(hello(job, "guess-" + i, "s", "10.1.1.1:" + (5000 + i)));   // answered at once
        }
        FakeConnection fourth = hello(job, "guess-3", "s", "10.1.1.1:6000");
        assertThat(fourth.closeCode()).as("slowed").isNull();
        timers.advance(Duration.ofMillis(499));
        assertThat(fourth.closeCode()).isNull();
        timers.advance(Duration.ofMillis(1));
        assertThat(fourth.closeCode()).isEqualTo(4401);

        FakeConnection fifth = hello(job, "guess-4", "s", "10.1.1.1:6001");
        timers.advance(Duration.ofMillis(999));
        assertThat(fifth.closeCode()).isNull();
        timers.advance(Duration.ofMillis(1));
        assertThat(fifth.closeCode()).isEqualTo(4401);

        // Even the right token waits now; another host does not.
        FakeConnection right = hello(job, tokens.agentToken(), "s", "10.1.1.1:6002");
        FakeConnection elsewhere = hello(otherJob, otherTokens.agentToken(), "s", "10.2.2.2:6002");
        assertThat(right.texts()).isEmpty();
        assertThat(elsewhere.types()).startsWith("welcome");
        timers.advance(Duration.ofSeconds(2));
        assertThat(right.types()).startsWith("welcome");

        // The waits stop at 5 s, and a minute without failures forgets them.
        for (int i = 0; i < 6; i++) {
            FakeConnection guess = hello(job, "more-" + i, "s", "10.1.1.1:7000");
            timers.advance(Duration.ofSeconds(5));
            assertThat(guess.closeCode()).isEqualTo(4401);
        }
        timers.advance(Duration.ofMinutes(1));
        assertRefused(hello(job, "late", "s", "10.1.1.1:7001"));
    }

    @Test
    void aSlowedHostsTokensAreLookedUpOnlyAfterTheWait() {
        endpoint.close();
        endpoint = AgentComponents.with(timers, Runnable::run).open(new AgentComponents.Services(client, namespace,
                keys, updates, clock));   // counted
        for (int i = 0; i < 3; i++) {
            assertRefused(hello(unique + "unknown", "guess", "s", "10.4.4.4:" + i));
        }
        long reads = counter.snapshot().total();
        assertThat(reads).isEqualTo(3);

        FakeConnection slowed = hello(unique + "unknown", "guess", "s", "10.4.4.4:9");
        assertThat(counter.snapshot().total()).as("no read before the wait").isEqualTo(reads);
        timers.advance(AuthFailures.FIRST_WAIT);
        assertThat(counter.snapshot().total()).isEqualTo(reads + 1);
        assertThat(slowed.closeCode()).isEqualTo(4401);
    }

    @Test
    void aSecondAgentOfTheJobReplacesTheFirstWith4409() {
        FakeConnection first = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        FakeConnection second = hello(job, tokens.agentToken(), "start-2", "10.0.0.7:40002");

        assertThat(first.closeCode()).isEqualTo(4409);
        assertThat(second.closeCode()).isNull();
        assertThat(endpoint.isConnected(job)).isTrue();
        CompletableFuture<GuestTty> tty = endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(5),
                new RecordingTty());
        assertThat(second.types()).contains("openTty");
        assertThat(first.types()).doesNotContain("openTty");
        assertThat(tty).isNotDone();
    }

    @Test
    void theGuestDescribedInTheHelloItsMountsAndItsEndReachTheJobStates() {
        endpoint.close();
        List<String> heard = new CopyOnWriteArrayList<>();
        endpoint = AgentComponents.with(timers, Runnable::run).open(new AgentComponents.Services(admin, namespace,
                keys, updates, clock, new GuestAgentEvents() {
                    @Override
                    public void connected(String jobId, String os, String address) {
                        heard.add("connected " + jobId + " " + os + " " + address);
                    }

                    @Override
                    public void mountsReported(String jobId) {
                        heard.add("mounts " + jobId);
                    }

                    @Override
                    public void disconnected(String jobId) {
                        heard.add("gone " + jobId);
                    }
                }));
        FakeConnection bare = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        FakeConnection described = FakeConnection.connect(endpoint.controlHandler(), ADDRESS);
        described.send(helloFrame(job, tokens.agentToken(), "start-2").replace("}",
                ", \"os\": \"Ubuntu 24.04.1 LTS\\n\", \"address\": \"10.0.2.15\"}"));
        described.send("{\"type\": \"mounts\", \"results\": []}");
        described.peerCloses(1000, "the agent stops");

        // The first was replaced (4409): only the live connection's end is news.
        assertThat(bare.closeCode()).isEqualTo(4409);
        assertThat(heard).containsExactly("connected " + job + " null null",
                "connected " + job + " Ubuntu 24.04.1 LTS 10.0.2.15", "mounts " + job, "gone " + job);
    }

    // --- heartbeats ---

    @Test
    void heartbeatsGoBothWaysAndFiveSilentSecondsClose4408() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        for (int second = 0; second < 10; second++) {
            timers.advance(Duration.ofSeconds(1));
            agent.send("{\"type\": \"heartbeat\"}");
        }
        assertThat(agent.closeCode()).isNull();
        assertThat(agent.types().stream().filter("heartbeat"::equals).count()).isEqualTo(10);

        timers.advance(Duration.ofMillis(4_999));
        assertThat(agent.closeCode()).isNull();
        timers.advance(Duration.ofSeconds(1));
        assertThat(agent.closeCode()).isEqualTo(4408);
        assertThat(endpoint.isConnected(job)).isFalse();
    }

    // --- SSH keys ---

    @Test
    void changedKeysArePushedToTheLiveAgentAtOnce() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        agent.send("{\"type\": \"sshKeysApplied\", \"installed\": 1, \"skipped\": 0}");

        keys.change(job, List.of(KEY_A, KEY_B));
        keys.change(otherJob, List.of(KEY_B));   // no agent: nothing to push

        assertThat(agent.closeCode()).isNull();
        assertThat(agent.types()).containsExactly("welcome", "sshKeys", "sshKeys");
        assertThat(strings(agent.last("sshKeys").path("keys"))).containsExactly(KEY_A, KEY_B);

        endpoint.close();
        keys.change(job, List.of());
        assertThat(keys.watching()).isFalse();
    }

    // --- mounts ---

    @Test
    void eachFailedMountIsOneJobMessageOncePerAgentStart() {
        String report = """
                {"type": "mounts", "results": [
                  {"tag": "ucloud-r0", "path": "/work/Data", "readOnly": false, "outcome": "mounted", "message": ""},
                  {"tag": "ucloud-r1", "path": "/work/Old", "readOnly": true, "outcome": "failed",
                   "message": "mount: unknown filesystem type 'virtiofs'"},
                  {"tag": "ucloud-r2", "path": "/work/New", "readOnly": true, "outcome": "alreadyMounted"}]}
                """;
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        agent.send(report);
        agent.send(report);
        FakeConnection reconnected = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        reconnected.send(report);

        assertThat(updates.of(job)).extracting(JobUpdate::status).containsExactly(
                "Folder /work/Old could not be mounted: mount: unknown filesystem type 'virtiofs'");

        FakeConnection restarted = hello(job, tokens.agentToken(), "start-2", ADDRESS);
        restarted.send(report);
        assertThat(updates.of(job)).hasSize(2);
        assertThat(restarted.closeCode()).isNull();
    }

    @Test
    void aMountReportWithoutResultsIsAProtocolError() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        agent.send("{\"type\": \"mounts\", \"results\": [{\"tag\": \"t\", \"outcome\": \"failed\"}]}");
        assertThat(agent.closeCode()).isEqualTo(4400);
        assertThat(updates.of(job)).isEmpty();
    }

    // --- tokens ---

    @Test
    void aNewImAcceptsTheAgentWithTheTokensOfTheSecretAndKeepsThemUntilTheJobEnds() {
        endpoint.close();
        endpoint = newEndpoint();   // an IM restart: nothing in memory
        assertThat(hello(job, tokens.agentToken(), "start-1", ADDRESS).types()).startsWith("welcome");

        admin.secrets().inNamespace(namespace).withName(new VmJobNames(job).cloudInitSecret()).delete();
        assertThat(hello(job, tokens.agentToken(), "start-1", ADDRESS).types()).as("kept in memory")
                .startsWith("welcome");

        endpoint.forget(job);
        assertRefused(hello(job, tokens.agentToken(), "start-1", ADDRESS));
    }

    @Test
    void aJobMadeAnewWithNewTokensIsReadAgainAfterAMismatch() {
        assertThat(hello(job, tokens.agentToken(), "start-1", ADDRESS).types()).startsWith("welcome");
        AgentTokens renewed = new AgentTokens("renewed-agent-token-" + unique, "renewed-server-token");
        admin.secrets().inNamespace(namespace).withName(new VmJobNames(job).cloudInitSecret()).delete();
        secretFor(job, renewed);

        assertRefused(hello(job, renewed.agentToken(), "start-2", "10.3.3.3:1"));   // the kept ones differ
        FakeConnection again = hello(job, renewed.agentToken(), "start-2", "10.3.3.3:2");
        assertThat(again.frames().get(0).path("serverToken").asString()).isEqualTo(renewed.serverToken());
    }

    // --- TTYs ---

    @Test
    void aTtyIsOpenedThroughTheAgentAndRelaysBothWays() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        RecordingTty listener = new RecordingTty();
        CompletableFuture<GuestTty> future = endpoint.open(job, new TerminalSize(100, 30), Duration.ofSeconds(5),
                listener);
        String token = agent.last("openTty").path("token").asString();
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(token).doesNotContain("=");
        assertThat(future).isNotDone();

        FakeConnection tty = tty(job, token);
        assertThat(tty.closeCode()).isNull();
        assertThat(tty.types()).containsExactly("ready", "initialize");
        assertThat(tty.last("initialize").path("cols").asInt()).isEqualTo(100);
        assertThat(tty.last("initialize").path("rows").asInt()).isEqualTo(30);
        assertThat(future).isCompleted();

        GuestTty guest = future.join();
        guest.input("ls\r");
        guest.resize(new TerminalSize(120, 40));
        assertThat(tty.binaries()).hasSize(1);
        assertThat(tty.binaryText()).as("keys: a binary frame of their UTF-8 bytes").isEqualTo("ls\r");
        assertThat(tty.types()).as("no JSON for keys").containsExactly("ready", "initialize", "resize");
        assertThat(tty.last("resize").path("cols").asInt()).isEqualTo(120);
        assertThat(tty.last("resize").path("rows").asInt()).isEqualTo(40);

        tty.sendBinary("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(listener.output()).isEqualTo("héllo");
        tty.peerCloses(1000, "shell exited");
        assertThat(listener.closes).containsExactly(1000);
    }

    @Test
    void keysLargerThanAFrameAreSplitIntoFramesOfAtMost64KiB() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        CompletableFuture<GuestTty> future = endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(5),
                new RecordingTty());
        FakeConnection tty = tty(job, agent.last("openTty").path("token").asString());

        String paste = "blåbær-€-".repeat(20_000);   // 260,000 bytes of UTF-8, characters across the cuts
        future.join().input(paste);
        future.join().input("");

        assertThat(tty.binaries()).extracting(frame -> frame.length)
                .containsExactly(65536, 65536, 65536, 63392);
        assertThat(tty.binaryText()).isEqualTo(paste);
    }

    @Test
    void closingTheGuestTtyEndsTheConnectionWithoutCallingBack() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        RecordingTty listener = new RecordingTty();
        CompletableFuture<GuestTty> future = endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(5),
                listener);
        FakeConnection tty = tty(job, agent.last("openTty").path("token").asString());

        future.join().close();
        assertThat(tty.closeCode()).isEqualTo(1000);
        assertThat(listener.closes).isEmpty();
    }

    @Test
    void aReplayedTtyTokenIsRefused() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(5), new RecordingTty());
        String token = agent.last("openTty").path("token").asString();

        FakeConnection first = tty(job, token);
        first.peerCloses(1006, "");
        FakeConnection replay = tty(job, token);

        assertThat(replay.closeCode()).isEqualTo(4401);
        assertThat(replay.texts()).isEmpty();
    }

    @Test
    void anExpiredTtyTokenIsRefused() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        CompletableFuture<GuestTty> future = endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(60),
                new RecordingTty());
        String token = agent.last("openTty").path("token").asString();

        clock.advance(Duration.ofSeconds(30));
        FakeConnection late = tty(job, token);

        assertThat(late.closeCode()).isEqualTo(4401);
        assertThat(future).isNotDone();
    }

    @Test
    void aTtyTokenOfAnotherJobIsRefusedAndSpent() {
        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(5), new RecordingTty());
        String token = agent.last("openTty").path("token").asString();

        assertThat(tty(otherJob, token).closeCode()).isEqualTo(4401);
        assertThat(tty(job, token).closeCode()).isEqualTo(4401);
    }

    @Test
    void aTtyConnectionBreakingTheRulesIsClosed() {
        FakeConnection binary = FakeConnection.connect(endpoint.ttyHandler(), ADDRESS);
        binary.sendBinary(new byte[]{1});
        assertThat(binary.closeCode()).isEqualTo(4400);

        FakeConnection garbage = FakeConnection.connect(endpoint.ttyHandler(), ADDRESS);
        garbage.send("{\"type\": \"hello\"}");
        assertThat(garbage.closeCode()).isEqualTo(4400);

        FakeConnection silent = FakeConnection.connect(endpoint.ttyHandler(), ADDRESS);
        timers.advance(Duration.ofSeconds(10));
        assertThat(silent.closeCode()).isEqualTo(4408);
    }

    @Test
    void withoutAnAgentOrAnAnswerInTimeOpeningFailsWithNoGuestAgent() {
        CompletableFuture<GuestTty> none = endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(5),
                new RecordingTty());
        assertThat(none).isCompletedExceptionally();
        assertThatThrownBy(none::join).hasCauseInstanceOf(NoGuestAgentException.class);

        FakeConnection agent = hello(job, tokens.agentToken(), "start-1", ADDRESS);
        agent.send("{\"type\": \"heartbeat\"}");
        CompletableFuture<GuestTty> unanswered = endpoint.open(job, new TerminalSize(80, 24), Duration.ofSeconds(3),
                new RecordingTty());
        String token = agent.last("openTty").path("token").asString();
        timers.advance(Duration.ofMillis(2_999));
        assertThat(unanswered).isNotDone();
        timers.advance(Duration.ofMillis(1));
        assertThatThrownBy(unanswered::join).hasCauseInstanceOf(NoGuestAgentException.class);

        assertThat(tty(job, token).closeCode()).as("too late").isEqualTo(4401);
    }

    // --- helpers ---

    private AgentEndpoint newEndpoint() {
        return AgentComponents.with(timers, Runnable::run).open(new AgentComponents.Services(admin, namespace, keys,
                updates, clock));
    }

    private void secretFor(String jobId, AgentTokens agentTokens) {
        String userData = new CloudInitRenderer().render(new CloudInitRequest(jobId, "j-" + jobId,
                "ws://ucloud-im:42000/api/vmagent", agentTokens, List.of(), List.of())).userData();
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder()
                .withNewMetadata().withName(new VmJobNames(jobId).cloudInitSecret()).endMetadata()
                .addToData(VmJobObjectsFactory.USER_DATA_KEY,
                        Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    private FakeConnection hello(String jobId, String token, String startId, String address) {
        FakeConnection agent = FakeConnection.connect(endpoint.controlHandler(), address);
        agent.send(helloFrame(jobId, token, startId));
        return agent;
    }

    private static String helloFrame(String jobId, String token, String startId) {
        return "{\"type\": \"hello\", \"jobId\": \"" + jobId + "\", \"token\": \"" + token
                + "\", \"agentVersion\": \"0.1.0\", \"startId\": \"" + startId + "\", \"extra\": true}";
    }

    private FakeConnection tty(String jobId, String token) {
        FakeConnection tty = FakeConnection.connect(endpoint.ttyHandler(), "10.0.0.7:50000");
        tty.send("{\"type\": \"tty\", \"jobId\": \"" + jobId + "\", \"token\": \"" + token + "\"}");
        return tty;
    }

    private static void assertRefused(FakeConnection agent) {
        assertThat(agent.closeCode()).isEqualTo(4401);
        assertThat(agent.closeReason()).isEqualTo("authentication failed");
        assertThat(agent.texts()).isEmpty();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    /** The owners' keys, changed by the test, with the watch the host would offer. */
    private static final class Keys implements SshKeyDirectory {
        private final Map<String, List<String>> keys = new ConcurrentHashMap<>();
        private volatile Consumer<String> listener;

        void set(String jobId, List<String> list) {
            keys.put(jobId, list);
        }

        void change(String jobId, List<String> list) {
            set(jobId, list);
            Consumer<String> current = listener;
            if (current != null) {
                current.accept(jobId);
            }
        }

        boolean watching() {
            return listener != null;
        }

        @Override
        public List<String> authorizedKeys(String jobId) {
            return keys.getOrDefault(jobId, List.of());
        }

        @Override
        public AutoCloseable watch(Consumer<String> jobIdListener) {
            listener = jobIdListener;
            return () -> listener = null;
        }
    }

    /** What a TTY delivered. */
    private static final class RecordingTty implements GuestTtyListener {
        final StringBuilder bytes = new StringBuilder();
        final List<Integer> closes = new CopyOnWriteArrayList<>();

        @Override
        public void output(ByteBuffer data) {
            bytes.append(StandardCharsets.UTF_8.decode(data));
        }

        @Override
        public void closed(int code, String reason) {
            closes.add(code);
        }

        String output() {
            return bytes.toString();
        }
    }
}
