package dk.sdu.cloud.im.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sdu.cloud.im.agent.FakeIm;
import dk.sdu.cloud.im.agent.config.AgentConfig;
import dk.sdu.cloud.im.agent.config.Secret;
import dk.sdu.cloud.im.agent.keys.AuthorizedKeys;
import dk.sdu.cloud.im.agent.log.LogQueue;
import dk.sdu.cloud.im.agent.socket.Frames;
import dk.sdu.cloud.im.agent.time.ManualScheduler;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's log lines on the control connection (docs/agent-protocol.md, "Log lines"): what waited is sent
 * right after welcome, new lines with the heartbeats, and what came while the IM was away is sent after the
 * reconnect, bounded, with the count of what was dropped.
 */
class LogForwardingTest {
    private static final String AGENT_TOKEN = "agent-token-0123456789";
    private static final String SERVER_TOKEN = "server-token-9876543210";

    @TempDir
    Path temp;

    private FakeIm im;
    private ManualScheduler scheduler;
    private ControlClient client;

    private void start(LogQueue logs) throws Exception {
        im = new FakeIm();
        scheduler = new ManualScheduler();
        var config = new AgentConfig(im.endpoint(), "4242", new Secret(AGENT_TOKEN), new Secret(SERVER_TOKEN),
                "/etc/ucloud/mounts.yml");
        var frames = new Frames(JsonMapper.builder().build());
        var identity = new AgentIdentity("1.2.3", "start-1");
        var keys = new AuthorizedKeys(Files.createDirectories(temp.resolve("home")));
        client = new ControlClient(config.endpoint(), HttpClient.newHttpClient(), scheduler,
                events -> new ControlSession(config, identity, scheduler, frames, keys, List::of, token -> { },
                        events, logs),
                new Backoff());
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        im.close();
    }

    private FakeIm.Connection welcomed() throws Exception {
        var connection = im.nextControl();
        assertThat(connection.nextFrame().get("type").stringValue()).isEqualTo("hello");
        connection.send(Map.of("type", "welcome", "serverToken", SERVER_TOKEN));
        assertThat(connection.nextFrame().get("type").stringValue()).isEqualTo("mounts");
        return connection;
    }

    private static List<String> lines(JsonNode frame) {
        assertThat(frame.get("type").stringValue()).isEqualTo("log");
        var lines = new ArrayList<String>();
        frame.get("lines").values().forEach(line -> lines.add(line.stringValue()));
        return lines;
    }

    private static List<String> numbered(int from, int to) {
        var lines = new ArrayList<String>();
        for (int i = from; i < to; i++) {
            lines.add("line " + i);
        }
        return lines;
    }

    @Test
    void linesThatWaitedGoRightAfterWelcome_newOnesWithTheNextHeartbeat() throws Exception {
        var logs = new LogQueue(LogQueue.CAPACITY);
        logs.add("vmagent 1.2.3 for job 4242");
        logs.add("mounted /work/Data");
        start(logs);

        var connection = welcomed();
        var first = connection.nextFrame();
        assertThat(lines(first)).containsExactly("vmagent 1.2.3 for job 4242", "mounted /work/Data");
        assertThat(first.get("dropped").longValue()).isZero();
        assertThat(connection.pendingTextFrames()).isZero();

        logs.add("SSH keys applied: 1 installed, 0 skipped");
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(connection.nextFrame().get("type").stringValue()).isEqualTo("heartbeat");
        assertThat(lines(connection.nextFrame())).containsExactly("SSH keys applied: 1 installed, 0 skipped");

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(connection.nextFrame().get("type").stringValue()).isEqualTo("heartbeat");
        assertThat(connection.pendingTextFrames()).as("no empty log frames").isZero();
    }

    @Test
    void manyLinesGoInFramesOfAtMostAHundred() throws Exception {
        var logs = new LogQueue(LogQueue.CAPACITY);
        numbered(0, 230).forEach(logs::add);
        start(logs);

        var connection = welcomed();
        assertThat(lines(connection.nextFrame())).isEqualTo(numbered(0, 100));
        assertThat(lines(connection.nextFrame())).isEqualTo(numbered(100, 200));
        assertThat(lines(connection.nextFrame())).isEqualTo(numbered(200, 230));
    }

    @Test
    void linesLoggedWhileDisconnectedAreSentAfterTheReconnect_theOldestBeyondTheBoundDroppedAndCounted()
            throws Exception {
        var logs = new LogQueue(50);
        start(logs);
        var connection = welcomed();
        connection.close(4409, "replaced");
        awaitPendingReconnect(Duration.ofSeconds(1));

        numbered(0, 120).forEach(logs::add);
        scheduler.advance(Duration.ofSeconds(1));

        var again = welcomed();
        var backlog = again.nextFrame();
        assertThat(lines(backlog)).isEqualTo(numbered(70, 120));
        assertThat(backlog.get("dropped").longValue()).isEqualTo(70);
        assertThat(logs.size()).isZero();
    }

    private void awaitPendingReconnect(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + FakeIm.PATIENCE.toNanos();
        while (!scheduler.pendingOneShotDelays().contains(delay)) {
            assertThat(System.nanoTime()).as("a reconnect scheduled in %s; pending: %s", delay,
                    scheduler.pendingOneShotDelays()).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
