package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A test shell: an {@code sh} process whose output (standard output and error) goes to the terminal output. */
final class ShProcessShell implements TerminalSession {
    private final Process process;
    private final OutputStream input;
    private final Runnable onClose;
    private volatile boolean closed;

    private ShProcessShell(Process process, Runnable onClose) {
        this.process = process;
        this.input = process.getOutputStream();
        this.onClose = onClose;
    }

    static ShProcessShell start(TerminalOutput output, Runnable onClose) {
        Process process;
        try {
            process = new ProcessBuilder("sh").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ShProcessShell shell = new ShProcessShell(process, onClose);
        Thread reader = new Thread(() -> {
            char[] buffer = new char[4096];
            try (Reader from = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    output.data(new String(buffer, 0, n));
                }
            } catch (IOException e) {
                // the process went away
            }
            if (!shell.closed) {
                output.closed("the shell exited");
            }
        }, "sh-shell-output");
        reader.setDaemon(true);
        reader.start();
        return shell;
    }

    @Override
    public synchronized void input(String data) {
        try {
            input.write(data.getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            // the process went away; its reader reports the end
        }
    }

    @Override
    public void resize(TerminalSize size) {
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroyForcibly();
        onClose.run();
    }
}
