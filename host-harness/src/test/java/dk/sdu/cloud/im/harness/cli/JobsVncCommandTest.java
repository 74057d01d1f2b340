package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.api.ApiFixture;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.VncConnection;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.PROVIDER;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code HarnessClient.openVnc} and {@code ucloud-im jobs vnc} against a provider API whose screens echo. */
class JobsVncCommandTest {
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

    private HarnessClient client() {
        return new HarnessClient(api.uri(""), ApiFixture.CREDENTIALS, DEADLINE);
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
    void theClientOpensTheScreenAndReadsTheServersVersionLine() {
        try (VncConnection screen = client().openVnc("4242", 0)) {
            assertThat(new String(screen.firstBytes(12, DEADLINE), StandardCharsets.US_ASCII))
                    .isEqualTo(RecordingBackend.RFB_GREETING);
            assertThat(screen.session().url()).contains("/ucloud/" + PROVIDER + "/vnc?token=");
            screen.send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(screen.firstBytes(24, DEADLINE), StandardCharsets.US_ASCII))
                    .isEqualTo(RecordingBackend.RFB_GREETING + "RFB 003.008\n");
        }
    }

    @Test
    void anUnknownJobIs404() {
        assertThatThrownBy(() -> client().openVnc("9999", 0)).isInstanceOfSatisfying(HarnessClientException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void theCommandPrintsTheHandshakeOrTheSession() {
        CliRuns.Run handshake = run(at("jobs", "vnc", "4242", "--handshake"));
        assertThat(handshake.status()).as(handshake.err()).isZero();
        assertThat(handshake.out()).isEqualTo("RFB 003.008\n");

        CliRuns.Run session = run(at("jobs", "vnc", "4242"));
        assertThat(session.status()).as(session.err()).isZero();
        assertThat(session.out()).matches("(?s)url: http://127\\.0\\.0\\.1:\\d+/ucloud/" + PROVIDER
                + "/vnc\\?token=[A-Za-z0-9_-]{43}\npassword: \\(none\\)\n");
    }

    @Test
    void theCommandSaysWhatIsWrong() {
        CliRuns.Run unknown = run(at("jobs", "vnc", "9999", "--handshake"));
        assertThat(unknown.status()).isEqualTo(JobsCommand.NOT_FOUND);
        assertThat(unknown.err()).contains("9999");

        CliRuns.Run badRank = run(at("jobs", "vnc", "4242", "--rank", "3"));
        assertThat(badRank.status()).isEqualTo(ImCommand.CANNOT_RUN);
        assertThat(badRank.err()).contains("rank");

        backend.rejectVnc("4242", "no screen here");
        CliRuns.Run refused = run(at("jobs", "vnc", "4242", "--handshake", "--timeout", "5"));
        assertThat(refused.status()).isEqualTo(ImCommand.CANNOT_RUN);
        assertThat(refused.err()).contains("no screen here");
    }

    @Test
    void printableBytesShowTheVersionLineAndEscapeTheRest() {
        assertThat(VncConnection.printable("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("RFB 003.008");
        assertThat(VncConnection.printable(new byte[]{'A', 0, (byte) 0xff})).isEqualTo("A\\x00\\xff");
    }
}
