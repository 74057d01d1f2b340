package dk.sdu.cloud.im.agent.tty;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sdu.cloud.im.agent.FakeIm;
import dk.sdu.cloud.im.agent.socket.Frames;
import dk.sdu.cloud.im.agent.time.ManualScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** TTY connections with a real pseudo-terminal running /bin/sh, against a fake IM. */
class TtyConnectionTest {
    @TempDir
    Path work;

    private FakeIm im;
    private ManualScheduler scheduler;
    private TtyDialer dialer;

    @BeforeEach
    void start() {
        im = new FakeIm();
        scheduler = new ManualScheduler();
        var spec = new ShellSpec(List.of("/bin/sh"),
                Map.of("TERM", "xterm-256color", "PATH", "/usr/bin:/bin", "HOME", work.toString(), "PS1", "$ "), work);
        var ttyEndpoint = URI.create(im.endpoint() + "/tty");
        dialer = new TtyDialer(ttyEndpoint, "4242", HttpClient.newHttpClient(), new Frames(JsonMapper.builder().build()),
                new PtyShellLauncher(() -> spec, scheduler), task -> {
                    var thread = new Thread(task, "test-tty-output");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @AfterEach
    void stop() {
        im.close();
    }

    private FakeIm.Connection shell(int cols, int rows) throws Exception {
        dialer.open("tty-token-1");
        var connection = im.nextTty();
        var hello = connection.nextFrame();
        assertThat(hello.get("type").stringValue()).isEqualTo("tty");
        assertThat(hello.get("jobId").stringValue()).isEqualTo("4242");
        assertThat(hello.get("token").stringValue()).isEqualTo("tty-token-1");
        connection.send(Map.of("type", "ready"));
        connection.send(Map.of("type", "initialize", "cols", cols, "rows", rows));
        return connection;
    }

    @Test
    void theShellRunsInThePty_outputComesBack_resizeIsHonoured_exitCloses1000() throws Exception {
        var connection = shell(80, 24);
        connection.keys("echo MARK$((40+2)); stty size; pwd\r");
        // pwd answers after stty: wait for all three, not for the first two only.
        String workPath = work.toRealPath().toString();
        var output = connection.outputUntil(text -> text.contains("MARK42")
                && Pattern.compile("24 80\\r?\\n").matcher(text).find() && text.contains(workPath + "\r\n"));
        assertThat(output).contains(workPath);

        connection.send(Map.of("type", "resize", "cols", 120, "rows", 40));
        connection.keys("stty size\r");
        connection.outputUntil(text -> Pattern.compile("40 120\\r?\\n").matcher(text).find());

        connection.keys("exit\r");
        var close = connection.awaitClose();
        assertThat(close.status()).isEqualTo(1000);
    }

    @Test
    void theTermIsXterm256color() throws Exception {
        var connection = shell(80, 24);
        connection.keys("echo T=$TERM.\r");
        connection.outputUntil(text -> text.contains("T=xterm-256color."));
        connection.keys("exit\r");
        assertThat(connection.awaitClose().status()).isEqualTo(1000);
    }

    @Test
    void outputFramesAreAtMost32KiB() throws Exception {
        var connection = shell(80, 24);
        connection.keys("stty -echo; head -c 200000 /dev/zero | tr '\\000' a; echo; echo END$((6*7))\r");
        long total = 0;
        var seen = new StringBuilder();
        while (!seen.toString().contains("END42")) {
            var frame = connection.nextBinary();
            assertThat(frame.length).isBetween(1, TtySession.MAX_OUTPUT_FRAME);
            total += frame.length;
            seen.append(new String(frame, java.nio.charset.StandardCharsets.ISO_8859_1));
            if (seen.length() > 64) {
                seen.delete(0, seen.length() - 64);
            }
        }
        assertThat(total).isGreaterThanOrEqualTo(200_000);
    }

    @Test
    void whenTheImClosesTheShellIsHungUp() throws Exception {
        var connection = shell(80, 24);
        connection.keys("echo PID=$$.\r");
        var output = connection.outputUntil(text -> Pattern.compile("PID=\\d+\\.").matcher(text).find());
        var matcher = Pattern.compile("PID=(\\d+)\\.").matcher(output);
        assertThat(matcher.find()).isTrue();
        var shell = ProcessHandle.of(Long.parseLong(matcher.group(1))).orElseThrow();

        connection.close(1000, "user left");
        // SIGHUP ends an interactive sh; if it did not, the SIGKILL two (manual) seconds later would.
        var ended = shell.onExit();
        long deadline = System.nanoTime() + FakeIm.PATIENCE.toNanos();
        while (!ended.isDone() && System.nanoTime() < deadline) {
            scheduler.advance(Duration.ofSeconds(2));
            try {
                ended.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // poll again until the failure bound
            }
        }
        assertThat(ended).isDone();
    }

    @Test
    void initializeBeforeReadyIsAProtocolError() throws Exception {
        dialer.open("tty-token-2");
        var connection = im.nextTty();
        connection.nextFrame();
        connection.send(Map.of("type", "initialize", "cols", 80, "rows", 24));
        assertThat(connection.awaitClose().status()).isEqualTo(4400);
    }

    @Test
    void badSizesAndUnknownFramesAreProtocolErrors() throws Exception {
        dialer.open("tty-token-3");
        var connection = im.nextTty();
        connection.nextFrame();
        connection.send(Map.of("type", "ready"));
        connection.send(Map.of("type", "initialize", "cols", 0, "rows", 24));
        assertThat(connection.awaitClose().status()).isEqualTo(4400);

        var second = shell(80, 24);
        second.send(Map.of("type", "paste", "data", "x"));
        assertThat(second.awaitClose().status()).isEqualTo(4400);
    }

    @Test
    void keysAreBinaryFramesWrittenAsTheyAre_evenACharacterSplitBetweenTwoFrames() throws Exception {
        var connection = shell(80, 24);
        // "echo A$((1+1))é.\r" with the é (0xc3 0xa9) split between the frames
        connection.sendBinary("echo A$((1+1))\u00c3".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        connection.sendBinary(new byte[]{(byte) 0xa9, '.', '\r'});
        connection.outputUntil(text -> text.contains("A2\u00e9."));
        connection.keys("exit\r");
        assertThat(connection.awaitClose().status()).isEqualTo(1000);
    }

    @Test
    void aKeyFrameOfMoreThan64KiBIsAProtocolError() throws Exception {
        var connection = shell(80, 24);
        connection.sendBinary(new byte[TtySession.MAX_INPUT_FRAME + 1]);
        var close = connection.awaitClose();
        assertThat(close.status()).isEqualTo(4400);
        assertThat(close.reason()).isEqualTo("frame larger than 65536 bytes");
    }

    @Test
    void keysBeforeInitializeAndKeysAsATextFrameAreProtocolErrors() throws Exception {
        dialer.open("tty-token-4");
        var early = im.nextTty();
        early.nextFrame();
        early.send(Map.of("type", "ready"));
        early.keys("ls\r");
        assertThat(early.awaitClose().status()).isEqualTo(4400);

        var text = shell(80, 24);
        text.send(Map.of("type", "input", "data", "ls\r"));
        assertThat(text.awaitClose().status()).isEqualTo(4400);
    }
}
