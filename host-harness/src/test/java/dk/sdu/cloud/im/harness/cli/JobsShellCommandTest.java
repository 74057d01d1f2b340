package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.api.ApiFixture;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.ShellSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code HarnessClient.openShell} and {@code ucloud-im jobs shell} against a provider API whose shells are {@code sh}. */
class JobsShellCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private RecordingBackend backend;
    private ApiFixture api;

    @BeforeEach
    void start() {
        backend = new RecordingBackend().shellsRunSh();
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
    void theClientDrivesAShell() throws Exception {
        try (ShellSession shell = client().openShell("4242", 0)) {
            // The IM answers the initialize before it asks the backend.
            org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> backend.calls()
                    .contains("openShell 4242 0 " + HarnessClient.SHELL_COLS + "x" + HarnessClient.SHELL_ROWS));
            shell.send("echo one; echo two\n");
            assertThat(shell.readUntil("two", DEADLINE)).isEqualTo("one\ntwo");
            shell.awaitAcks(1);
            shell.resize(100, 30);
            ShellSession.CommandResult result = shell.run("printf 'a b\\n'; echo 'it''s'; exit_code=3; (exit $exit_code)",
                    DEADLINE);
            assertThat(result.output()).isEqualTo("a b\nits\n");
            assertThat(result.exitStatus()).isEqualTo(3);
            assertThat(shell.run("printf 'no newline'", DEADLINE).output()).isEqualTo("no newline");
        }
        assertThat(backend.awaitShellClosed(DEADLINE.toSeconds())).isTrue();
    }

    @Test
    void aShellThatEndsIsReportedToTheReader() {
        try (ShellSession shell = client().openShell("4242", 0)) {
            shell.send("exit 0\n");
            assertThatThrownBy(() -> shell.readUntil("never", DEADLINE)).isInstanceOf(HarnessClientException.class)
                    .hasMessageContaining("the shell ended (1000 the shell exited)");
            assertThat(shell.awaitClosed().code()).isEqualTo(1000);
        }
    }

    @Test
    void anUnknownJobIs404() {
        assertThatThrownBy(() -> client().openShell("9999", 0)).isInstanceOfSatisfying(HarnessClientException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void theCommandRunsOneCommandAndPrintsItsOutput() {
        CliRuns.Run ok = run(at("jobs", "shell", "4242", "--command", "echo hello from the job; uname -s"));
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("hello from the job\nLinux\n");
        assertThat(ok.err()).isEmpty();

        CliRuns.Run failed = run(at("jobs", "shell", "4242", "--rank", "0", "--command", "echo oops >&2; false"));
        assertThat(failed.status()).isEqualTo(JobsCommand.COMMAND_FAILED);
        assertThat(failed.out()).isEqualTo("oops\n");
        assertThat(failed.err()).contains("the command exited with status 1");
    }

    @Test
    void theCommandSaysWhatIsWrong() {
        CliRuns.Run unknown = run(at("jobs", "shell", "9999", "--command", "true"));
        assertThat(unknown.status()).isEqualTo(JobsCommand.NOT_FOUND);
        assertThat(unknown.err()).contains("9999");

        CliRuns.Run badRank = run(at("jobs", "shell", "4242", "--rank", "3", "--command", "true"));
        assertThat(badRank.status()).isEqualTo(ImCommand.CANNOT_RUN);
        assertThat(badRank.err()).contains("rank");

        CliRuns.Run negative = run(at("jobs", "shell", "4242", "--rank", "-1", "--command", "true"));
        assertThat(negative.status()).isEqualTo(2);
    }

    @Test
    void helpNamesTheOptions() {
        CliRuns.Run help = run("jobs", "shell", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--rank", "--command", "--timeout", "SHELL");
    }
}
