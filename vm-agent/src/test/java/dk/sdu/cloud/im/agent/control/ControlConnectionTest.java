package dk.sdu.cloud.im.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sdu.cloud.im.agent.FakeIm;
import dk.sdu.cloud.im.agent.config.AgentConfig;
import dk.sdu.cloud.im.agent.config.Secret;
import dk.sdu.cloud.im.agent.keys.AuthorizedKeys;
import dk.sdu.cloud.im.agent.mounts.CommandRunner.CommandResult;
import dk.sdu.cloud.im.agent.mounts.FolderMounting;
import dk.sdu.cloud.im.agent.mounts.MountResult;
import dk.sdu.cloud.im.agent.mounts.MountsFileReader;
import dk.sdu.cloud.im.agent.mounts.SudoMounter;
import dk.sdu.cloud.im.agent.socket.Frames;
import dk.sdu.cloud.im.agent.time.ManualScheduler;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The control connection against a fake IM: authentication both ways, heartbeats, keys, mounts, refusals. */
class ControlConnectionTest {
    private static final String AGENT_TOKEN = "agent-token-0123456789";
    private static final String SERVER_TOKEN = "server-token-9876543210";

    @TempDir
    Path temp;

    private FakeIm im;
    private ManualScheduler scheduler;
    private ControlClient client;
    private final BlockingQueue<String> ttyTokens = new LinkedBlockingQueue<>();
    private List<MountResult> mounts;
    private Path home;

    @BeforeEach
    void start() throws Exception {
        im = new FakeIm();
        scheduler = new ManualScheduler();
        home = Files.createDirectories(temp.resolve("home"));
        mounts = mountsThroughAFakeRunner();
        var config = new AgentConfig(im.endpoint(), "4242", new Secret(AGENT_TOKEN), new Secret(SERVER_TOKEN), "/etc/ucloud/mounts.yml");
        var frames = new Frames(JsonMapper.builder().build());
        var identity = new AgentIdentity("1.2.3", "start-1").describing(new dk.sdu.cloud.im.agent.guest.GuestDescription(
                java.util.Optional.of("Ubuntu 24.04.1 LTS"), java.util.Optional.of("10.0.2.15")));
        var keys = new AuthorizedKeys(home);
        client = new ControlClient(config.endpoint(), HttpClient.newHttpClient(), scheduler,
                events -> new ControlSession(config, identity, scheduler, frames, keys, () -> mounts, ttyTokens::add, events),
                new Backoff());
        client.start();
    }

    // The report's three outcomes come from the real mounter with a fake command runner.
    private List<MountResult> mountsThroughAFakeRunner() throws Exception {
        var file = temp.resolve("mounts.yml");
        Files.writeString(file, """
                mounts:
                  - {tag: ucloud-r0, path: /work/Data, readOnly: false}
                  - {tag: ucloud-r1, path: /work/Old, readOnly: true}
                  - {tag: ucloud-r2, path: /work/Here, readOnly: false}
                """);
        var mounter = new SudoMounter(command -> command.contains("/work/Old") && command.contains("mount")
                ? new CommandResult(32, "mount: unknown filesystem type 'virtiofs'\n")
                : new CommandResult(0, ""),
                path -> path.toString().equals("/work/Here"));
        return new FolderMounting(new MountsFileReader(YAMLMapper.builder().build()), mounter).mountAll(file);
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

    @Test
    void helloCarriesJobTokenVersionAndStartId_andTheMountsReportFollowsEveryWelcome() throws Exception {
        var connection = im.nextControl();
        var hello = connection.nextFrame();
        assertThat(hello.get("type").stringValue()).isEqualTo("hello");
        assertThat(hello.get("jobId").stringValue()).isEqualTo("4242");
        assertThat(hello.get("token").stringValue()).isEqualTo(AGENT_TOKEN);
        assertThat(hello.get("agentVersion").stringValue()).isEqualTo("1.2.3");
        assertThat(hello.get("startId").stringValue()).isEqualTo("start-1");
        assertThat(hello.get("os").stringValue()).isEqualTo("Ubuntu 24.04.1 LTS");
        assertThat(hello.get("address").stringValue()).isEqualTo("10.0.2.15");

        connection.send(Map.of("type", "welcome", "serverToken", SERVER_TOKEN));
        var report = connection.nextFrame();
        assertThat(report.get("type").stringValue()).isEqualTo("mounts");
        assertThat(report.get("results").values()).extracting(r -> r.get("path").stringValue() + " " + r.get("outcome").stringValue()
                        + " " + r.get("readOnly").booleanValue() + " " + r.get("message").stringValue())
                .containsExactly(
                        "/work/Data mounted false ",
                        "/work/Old failed true mount: unknown filesystem type 'virtiofs'",
                        "/work/Here alreadyMounted false ");

        // A reconnect (the IM replaced the session) reports again, with the same startId.
        connection.close(4409, "replaced");
        awaitPendingReconnect(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        var again = im.nextControl();
        assertThat(again.nextFrame().get("startId").stringValue()).isEqualTo("start-1");
        again.send(Map.of("type", "welcome", "serverToken", SERVER_TOKEN));
        assertThat(again.nextFrame().get("results").size()).isEqualTo(3);
    }

    @Test
    void aWrongServerTokenClosesWith4401AndBacksOffDoubling_aGoodWelcomeResetsTheBackoff() throws Exception {
        var first = im.nextControl();
        first.nextFrame();
        first.send(Map.of("type", "welcome", "serverToken", "server-token-9876543211"));
        assertThat(first.awaitClose().status()).isEqualTo(4401);
        assertThat(first.pendingTextFrames()).as("nothing after hello to an unproven IM").isZero();
        awaitPendingReconnect(Duration.ofSeconds(1));

        scheduler.advance(Duration.ofSeconds(1));
        var second = im.nextControl();
        second.nextFrame();
        second.send(Map.of("type", "welcome", "serverToken", ""));
        assertThat(second.awaitClose().status()).isEqualTo(4401);
        awaitPendingReconnect(Duration.ofSeconds(2));

        scheduler.advance(Duration.ofSeconds(2));
        var third = im.nextControl();
        third.nextFrame();
        third.send(Map.of("type", "welcome", "serverToken", SERVER_TOKEN));
        assertThat(third.nextFrame().get("type").stringValue()).isEqualTo("mounts");
        third.close(4409, "replaced");
        awaitPendingReconnect(Duration.ofSeconds(1));
    }

    @Test
    void backoffDoublesUpToThirtySeconds() {
        var backoff = new Backoff();
        assertThat(List.of(backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()))
                .extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void heartbeatsEverySecond_anyFrameFromTheImCountsAsLife_fiveSilentSecondsEndTheConnection() throws Exception {
        var connection = welcomed();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(connection.nextFrame().get("type").stringValue()).isEqualTo("heartbeat");
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(connection.nextFrame().get("type").stringValue()).isEqualTo("heartbeat");
        assertThat(connection.nextFrame().get("type").stringValue()).isEqualTo("heartbeat");

        // At 3 s the IM speaks (an answered frame shows the agent has read it); silence now counts from 3 s.
        connection.send(Map.of("type", "sshKeys", "keys", List.of()));
        assertThat(connection.nextFrameOtherThanHeartbeat().get("type").stringValue()).isEqualTo("sshKeysApplied");
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(connection.isClosed()).isFalse();

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(connection.awaitClose().status()).isEqualTo(4408);
        awaitPendingReconnect(Duration.ofSeconds(1));
    }

    @Test
    void anImThatNeverWelcomesIsGoneAfterFiveSeconds() throws Exception {
        var connection = im.nextControl();
        connection.nextFrame();
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(connection.pendingTextFrames()).as("no heartbeat before welcome").isZero();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(connection.awaitClose().status()).isEqualTo(4408);
    }

    @Test
    void sshKeysAreWrittenAndAnswered_onlyTheAgentsLinesAreReplaced() throws Exception {
        var ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("authorized_keys"), "ssh-ed25519 AAAAuser me@home\nssh-rsa AAAAold" + AuthorizedKeys.MARKER + "\n");
        var connection = welcomed();

        connection.send(Map.of("type", "sshKeys", "keys", List.of("ssh-ed25519 AAAAnew alice@laptop", "ssh-ed25519 AAAA\nbroken")));
        var applied = connection.nextFrameOtherThanHeartbeat();
        assertThat(applied.get("type").stringValue()).isEqualTo("sshKeysApplied");
        assertThat(applied.get("installed").intValue()).isEqualTo(1);
        assertThat(applied.get("skipped").intValue()).isEqualTo(1);
        assertThat(Files.readString(ssh.resolve("authorized_keys"), StandardCharsets.UTF_8))
                .isEqualTo("ssh-ed25519 AAAAuser me@home\nssh-ed25519 AAAAnew alice@laptop" + AuthorizedKeys.MARKER + "\n");

        connection.send(Map.of("type", "sshKeys", "keys", List.of("ssh-ed25519 AAAAother bob@desk")));
        assertThat(connection.nextFrameOtherThanHeartbeat().get("installed").intValue()).isEqualTo(1);
        assertThat(Files.readString(ssh.resolve("authorized_keys"), StandardCharsets.UTF_8))
                .isEqualTo("ssh-ed25519 AAAAuser me@home\nssh-ed25519 AAAAother bob@desk" + AuthorizedKeys.MARKER + "\n");
    }

    @Test
    void openTtyHandsTheTokenToTheTtyOpener() throws Exception {
        var connection = welcomed();
        connection.send(Map.of("type", "openTty", "token", "tty-token-1"));
        assertThat(ttyTokens.poll(FakeIm.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("tty-token-1");
    }

    @Test
    void aFrameLargerThan64KiBClosesWith4400SayingSo() throws Exception {
        var connection = welcomed();
        connection.send("{\"type\":\"heartbeat\",\"padding\":\"" + "x".repeat(64 * 1024) + "\"}");
        var close = connection.awaitClose();
        assertThat(close.status()).isEqualTo(4400);
        assertThat(close.reason()).isEqualTo("frame larger than 65536 bytes");
        awaitPendingReconnect(Duration.ofSeconds(1));
    }

    @Test
    void aFrameJustUnder64KiBIsAccepted() throws Exception {
        var connection = welcomed();
        var prefix = "{\"type\":\"sshKeys\",\"keys\":[],\"padding\":\"";
        connection.send(prefix + "x".repeat(64 * 1024 - prefix.length() - 2) + "\"}");
        assertThat(connection.nextFrameOtherThanHeartbeat().get("type").stringValue()).isEqualTo("sshKeysApplied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"no\":\"type\"}", "{\"type\":\"bogus\"}", "{\"type\":\"openTty\"}",
            "{\"type\":\"sshKeys\",\"keys\":\"one\"}", "{\"type\":\"sshKeys\",\"keys\":[1]}", "{\"type\":\"welcome\",\"serverToken\":\"x\"}"})
    void garbageAfterWelcomeClosesWith4400(String frame) throws Exception {
        var connection = welcomed();
        connection.send(frame);
        assertThat(connection.awaitClose().status()).isEqualTo(4400);
    }

    @Test
    void aBinaryFrameClosesWith4400() throws Exception {
        var connection = welcomed();
        connection.sendBinary(new byte[] {1, 2, 3});
        assertThat(connection.awaitClose().status()).isEqualTo(4400);
    }

    @Test
    void anythingButWelcomeFirstClosesWith4400() throws Exception {
        var connection = im.nextControl();
        connection.nextFrame();
        connection.send(Map.of("type", "sshKeys", "keys", List.of()));
        assertThat(connection.awaitClose().status()).isEqualTo(4400);
        assertThat(connection.pendingTextFrames()).isZero();
    }

    // The reconnect is scheduled by the websocket client's thread; wait (bounded) until it is.
    private void awaitPendingReconnect(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + FakeIm.PATIENCE.toNanos();
        while (!scheduler.pendingOneShotDelays().contains(delay)) {
            assertThat(System.nanoTime()).as("a reconnect scheduled in %s; pending: %s", delay, scheduler.pendingOneShotDelays())
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
