package dk.sdu.cloud.im.agent.tty;

import static java.util.Objects.requireNonNull;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import com.pty4j.unix.UnixPtyProcess;
import dk.sdu.cloud.im.agent.time.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Supplier;

/** Shells in pseudo-terminals made by pty4j; the shell leads its own session and process group. */
public final class PtyShellLauncher implements ShellLauncher {
    static final Duration KILL_AFTER = Duration.ofSeconds(2);

    private final Supplier<ShellSpec> spec;
    private final Scheduler scheduler;

    /** @param spec asked at each start, so a changed home or work folder is seen */
    public PtyShellLauncher(Supplier<ShellSpec> spec, Scheduler scheduler) {
        this.spec = requireNonNull(spec, "spec is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    @Override
    public Shell start(int cols, int rows) throws IOException {
        var shell = spec.get();
        var process = new PtyProcessBuilder(shell.command().toArray(String[]::new))
                .setEnvironment(shell.environment())
                .setDirectory(shell.directory().toString())
                .setInitialColumns(cols)
                .setInitialRows(rows)
                .setConsole(false)
                .setRedirectErrorStream(true)
                .start();
        return new PtyShell(process, scheduler);
    }

    private static final class PtyShell implements Shell {
        private final PtyProcess process;
        private final Scheduler scheduler;

        PtyShell(PtyProcess process, Scheduler scheduler) {
            this.process = process;
            this.scheduler = scheduler;
        }

        @Override
        public InputStream output() {
            return process.getInputStream();
        }

        @Override
        public void write(byte[] keys, int offset, int length) throws IOException {
            var in = process.getOutputStream();
            in.write(keys, offset, length);
            in.flush();
        }

        @Override
        public void resize(int cols, int rows) {
            process.setWinSize(new WinSize(cols, rows));
        }

        @Override
        public void hangup() {
            if (!process.isAlive()) {
                return;
            }
            // pty4j signals the process group the shell leads, so its children hear it too.
            if (process instanceof UnixPtyProcess unix) {
                unix.hangup();
            } else {
                process.destroy();
            }
            scheduler.schedule(KILL_AFTER, () -> {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            });
        }

        @Override
        public int waitFor() throws InterruptedException {
            return process.waitFor();
        }
    }
}
