package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRenderer;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRequest;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's {@code log} frames on the IM's side ({@code docs/agent-protocol.md}, "Log lines"): the lines reach a
 * job's followers after the recent ones, a bounded number is kept per job, and a frame breaking the rules is a
 * protocol error that keeps nothing.
 */
class AgentLogFramesTest extends EmbeddedClusterTest {
    private static final String ADDRESS = "10.0.0.7:40001";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final ManualTimers timers = new ManualTimers(clock);
    private AgentEndpoint endpoint;
    private String job;
    private AgentTokens tokens;

    @BeforeEach
    void makeEndpoint() {
        job = unique + "l";
        tokens = new AgentTokens("agent-token-" + unique + "-llllllllllllllllllll", "server-token-" + unique + "-l");
        String userData = new CloudInitRenderer().render(new CloudInitRequest(job, "j-" + job,
                "ws://ucloud-im:42000/api/vmagent", tokens, List.of(), List.of())).userData();
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder()
                .withNewMetadata().withName(new VmJobNames(job).cloudInitSecret()).endMetadata()
                .addToData(VmJobObjectsFactory.USER_DATA_KEY,
                        Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        SshKeyDirectory noKeys = new SshKeyDirectory() {
            @Override
            public List<String> authorizedKeys(String jobId) {
                return List.of();
            }

            @Override
            public AutoCloseable watch(Consumer<String> changed) {
                return () -> { };
            }
        };
        endpoint = AgentComponents.with(timers, Runnable::run).open(new AgentComponents.Services(admin, namespace,
                noKeys, new RecordingJobUpdates(), clock));
    }

    @AfterEach
    void closeEndpoint() {
        endpoint.close();
    }

    private FakeConnection agent() {
        FakeConnection agent = FakeConnection.connect(endpoint.controlHandler(), ADDRESS);
        agent.send("{\"type\": \"hello\", \"jobId\": \"" + job + "\", \"token\": \"" + tokens.agentToken()
                + "\", \"agentVersion\": \"0.1.0\", \"startId\": \"start-1\"}");
        assertThat(agent.types()).startsWith("welcome");
        return agent;
    }

    private static String logFrame(List<String> lines) {
        ObjectNode frame = JSON.createObjectNode().put("type", "log");
        ArrayNode array = frame.putArray("lines");
        lines.forEach(array::add);
        return frame.toString();
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
    }

    @Test
    void aFollowerGetsTheRecentLinesThenEachNewOneUntilItStops() throws Exception {
        FakeConnection agent = agent();
        agent.send(logFrame(List.of("vmagent 0.1.0 for job " + job, "connected to the IM")));

        List<String> seen = new CopyOnWriteArrayList<>();
        AutoCloseable following = endpoint.logs().follow(job, seen::add);
        assertThat(seen).containsExactly("vmagent 0.1.0 for job " + job, "connected to the IM");

        agent.send(logFrame(List.of("SSH keys applied: 1 installed, 0 skipped")));
        assertThat(seen).hasSize(3).endsWith("SSH keys applied: 1 installed, 0 skipped");

        following.close();
        agent.send(logFrame(List.of("after the follower left")));
        assertThat(seen).hasSize(3);
        assertThat(agent.closeCode()).isNull();
    }

    @Test
    void aFollowerBeforeTheAgentConnectsGetsItsLinesWhenTheyCome() {
        List<String> seen = new CopyOnWriteArrayList<>();
        endpoint.logs().follow(job, seen::add);
        assertThat(seen).isEmpty();

        agent().send(logFrame(List.of("first")));
        assertThat(seen).containsExactly("first");
    }

    @Test
    void onlyTheNewestLinesAreKeptPerJob() {
        FakeConnection agent = agent();
        for (int frame = 0; frame < 5; frame++) {
            agent.send(logFrame(numbered(frame * AgentFrames.MAX_LOG_LINES, (frame + 1) * AgentFrames.MAX_LOG_LINES)));
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        endpoint.logs().follow(job, seen::add);
        assertThat(seen).hasSize(AgentLogs.RECENT_LINES)
                .startsWith("line " + (5 * AgentFrames.MAX_LOG_LINES - AgentLogs.RECENT_LINES))
                .endsWith("line " + (5 * AgentFrames.MAX_LOG_LINES - 1));
    }

    @Test
    void linesTheAgentDroppedAreNoticed() {
        FakeConnection agent = agent();
        agent.send("{\"type\": \"log\", \"lines\": [\"back again\"], \"dropped\": 17}");
        List<String> seen = new CopyOnWriteArrayList<>();
        endpoint.logs().follow(job, seen::add);
        assertThat(seen).containsExactly("[the agent dropped 17 log lines it could not send]", "back again");
    }

    @Test
    void theLinesOfAnEndedJobAreForgotten() {
        agent().send(logFrame(List.of("before the end")));
        endpoint.forget(job);
        List<String> seen = new CopyOnWriteArrayList<>();
        endpoint.logs().follow(job, seen::add);
        assertThat(seen).isEmpty();
    }

    @Test
    void moreLinesThanAFrameMayCarryIsAProtocolError() {
        FakeConnection agent = agent();
        agent.send(logFrame(numbered(0, AgentFrames.MAX_LOG_LINES + 1)));
        assertThat(agent.closeCode()).isEqualTo(4400);
        assertThat(agent.closeReason()).isEqualTo("a log frame carries at most " + AgentFrames.MAX_LOG_LINES + " lines");
        assertKeptNothing();
    }

    @Test
    void aLineLongerThanTheLimitIsAProtocolError() {
        FakeConnection agent = agent();
        agent.send(logFrame(List.of("ok", "x".repeat(AgentFrames.MAX_LOG_LINE_CHARS + 1))));
        assertThat(agent.closeCode()).isEqualTo(4400);
        assertThat(agent.closeReason()).isEqualTo("a log line is longer than " + AgentFrames.MAX_LOG_LINE_CHARS
                + " characters");
        assertKeptNothing();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\": \"log\"}",
            "{\"type\": \"log\", \"lines\": \"one line\"}",
            "{\"type\": \"log\", \"lines\": [\"ok\", 7]}",
            "{\"type\": \"log\", \"lines\": [\"ok\"], \"dropped\": -1}",
            "{\"type\": \"log\", \"lines\": [\"ok\"], \"dropped\": \"many\"}",
    })
    void aMalformedLogFrameIsAProtocolError(String frame) {
        FakeConnection agent = agent();
        agent.send(frame);
        assertThat(agent.closeCode()).isEqualTo(4400);
        assertKeptNothing();
    }

    private void assertKeptNothing() {
        List<String> seen = new CopyOnWriteArrayList<>();
        endpoint.logs().follow(job, seen::add);
        assertThat(seen).isEmpty();
    }
}
