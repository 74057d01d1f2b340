package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.Test;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Running programs without a shell: output, errors, timeouts, interruption. */
class CommandRunnerTest {
    private final CommandRunner runner = new CommandRunner();

    @Test
    void argumentsArePassedAsTheyAreWithoutAShell() throws Exception {
        List<String> pieces = new CopyOnWriteArrayList<>();

        CommandRunner.Result result = runner.run(List.of("printf", "%s|%s", "$HOME; rm -rf /", "a b"),
                Duration.ofSeconds(30), pieces::add);

        assertThat(result.stdout()).isEqualTo("$HOME; rm -rf /|a b");
        assertThat(pieces).containsExactly("$HOME; rm -rf /|a b");
    }

    @Test
    void stdoutIsHandedOnAtCarriageReturnsAndLineEnds() throws Exception {
        List<String> pieces = new CopyOnWriteArrayList<>();

        runner.run(List.of("printf", "    (0.00/100%%)\\r    (50.00/100%%)\\r    (100.00/100%%)\\r\\n"),
                Duration.ofSeconds(30), pieces::add);

        assertThat(pieces).containsExactly("    (0.00/100%)", "    (50.00/100%)", "    (100.00/100%)");
    }

    @Test
    void aNonZeroExitNamesTheCommandAndTheEndOfStderr() {
        assertThatThrownBy(() -> runner.run(List.of("sh", "-c", "echo first >&2; echo 'the real reason' >&2; exit 3"),
                Duration.ofSeconds(30), line -> { }))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageStartingWith("'sh -c echo first >&2; echo 'the real reason' >&2; exit 3' exited with status 3: ")
                .hasMessageEndingWith("the real reason");
    }

    @Test
    void onlyTheTailOfALongStderrIsKept() {
        assertThatThrownBy(() -> runner.run(List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x >&2; "
                + "echo END >&2; exit 1"), Duration.ofSeconds(30), line -> { }))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageEndingWith("xxxxEND")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(CommandRunner.STDERR_TAIL + 200));
    }

    @Test
    void aProgramThatCannotStartIsAFailureNamingIt() {
        assertThatThrownBy(() -> runner.run(List.of("/nonexistent/program", "x"), Duration.ofSeconds(30), line -> { }))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageStartingWith("cannot run '/nonexistent/program x': ");
    }

    @Test
    void aProgramThatOutlivesItsTimeoutIsKilled() {
        String marker = "3601.25";

        assertThatThrownBy(() -> runner.run(List.of("sleep", marker), Duration.ofMillis(200), line -> { }))
                .isInstanceOf(CommandFailedException.class)
                .hasMessage("'sleep " + marker + "' did not finish within PT0.2S and was killed");
        assertThat(processesRunning("sleep", marker)).isFalse();
    }

    @Test
    void interruptingTheCallerKillsTheProgram() throws Exception {
        String marker = "3602.5";
        // The program says its pid, then becomes sleep (same pid): once the line is here, it is running.
        List<String> command = List.of("sh", "-c", "echo $$; exec sleep " + marker);
        CompletableFuture<Long> running = new CompletableFuture<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                runner.run(command, Duration.ofMinutes(5), line -> running.complete(Long.parseLong(line)));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        caller.start();
        long pid = running.get(60, TimeUnit.SECONDS);

        caller.interrupt();

        assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining(String.join(" ", command));
        assertThat(ProcessHandle.of(pid)).as("the program, killed and reaped").isEmpty();
        assertThat(processesRunning("sleep", marker)).isFalse();
    }

    private static boolean processesRunning(String program, String argument) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
                .map(args -> args.length == 1 && args[0].equals(argument)).orElse(false)
                && p.info().command().map(c -> c.endsWith("/" + program)).orElse(false));
    }
}
