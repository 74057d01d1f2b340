package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * One connection to a simulated guest's serial console ({@code .../virtualmachineinstances/<name>/console}):
 * a serial line to the guest, which here is a {@code /bin/sh -i} started for the connection, in the guest's
 * {@code work/} with {@code HOME} its {@code home/ucloud/}. A serial line is a dumb byte stream: pipes, no
 * pseudo-terminal, so nothing echoes the input and there is no window size. Binary frames both ways (text
 * frames are taken as their UTF-8 bytes). The shell ends when the connection closes; the connection closes
 * (1000) when the shell exits.
 *
 * <p>Websocket callbacks run on the server's event loop and never wait: writes to the shell are queued on an
 * executor, the shell's output is read and sent by a thread of the pool.
 */
final class SerialConsole extends WebSocketListener {

    private static final Logger log = LoggerFactory.getLogger(SerialConsole.class);
    private static final int CHUNK = 32 * 1024;
    private static final Duration SHELL_STOP_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final GuestRoot root;
    private final Executor pool;
    private final Executor input;
    private final Runnable onEnd;
    private volatile Process shell;
    private volatile WebSocket socket;
    private volatile boolean ended;

    /** @param onEnd called when the connection ends (once or more) */
    SerialConsole(String name, GuestRoot root, Executor pool, Runnable onEnd) {
        this.name = requireNonNull(name, "name is null");
        this.onEnd = requireNonNull(onEnd, "onEnd is null");
        this.root = requireNonNull(root, "root is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.input = new OrderedExecutor(pool);
    }

    @Override
    public void onOpen(WebSocket socket, Response response) {
        this.socket = socket;
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-i")
                .directory(root.work().toFile())
                .redirectErrorStream(true);
        // The guest's environment, not the IM's (which may hold its secrets).
        Map<String, String> environment = builder.environment();
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", root.home().toString());
        environment.put("TERM", "dumb");
        environment.put("LANG", "C.UTF-8");
        try {
            shell = builder.start();
        } catch (IOException e) {
            log.warn("simulated guest {}: cannot start the serial console's shell: {}", name, e.toString());
            input.execute(() -> socket.close(1011, "the serial line cannot be opened"));
            return;
        }
        log.info("simulated guest {}: serial console opened (shell pid {})", name, shell.pid());
        Process started = shell;
        pool.execute(() -> pump(started, socket));
    }

    private void pump(Process process, WebSocket socket) {
        byte[] buffer = new byte[CHUNK];
        try (InputStream output = process.getInputStream()) {
            int read;
            while ((read = output.read(buffer)) >= 0) {
                if (read > 0 && !ended) {
                    socket.send(Arrays.copyOf(buffer, read));
                }
            }
        } catch (IOException e) {
            log.debug("simulated guest {}: reading the serial console's shell failed", name, e);
        }
        if (!ended) {
            ended = true;
            socket.close(1000, "the serial line ended");
        }
        process.toHandle().onExit().join();
    }

    @Override
    public void onMessage(WebSocket socket, byte[] bytes) {
        write(bytes);
    }

    @Override
    public void onMessage(WebSocket socket, ByteString bytes) {
        write(bytes.toByteArray());
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) {
        Process process = shell;
        if (process == null || ended) {
            return;
        }
        input.execute(() -> {
            try {
                OutputStream stdin = process.getOutputStream();
                stdin.write(bytes);
                stdin.flush();
            } catch (IOException e) {
                log.debug("simulated guest {}: the serial console's shell does not take input: {}", name, e.toString());
            }
        });
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
        end();
        input.execute(() -> socket.close(code, reason));
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
        end();
    }

    @Override
    public void onFailure(WebSocket socket, Throwable cause, Response response) {
        end();
        input.execute(() -> socket.close(1011, "serial console failed"));
    }

    /** Ends the shell (and what it started); the connection is being closed. */
    void end() {
        onEnd.run();
        boolean first = !ended;
        ended = true;
        Process process = shell;
        if (process != null && process.isAlive()) {
            pool.execute(() -> {
                ProcessTrees.terminate(process.toHandle(), SHELL_STOP_TIMEOUT);
                if (first) {
                    log.info("simulated guest {}: serial console closed", name);
                }
            });
        }
    }

    /** Hangs up: the guest stopped. Ends the shell and closes the connection. */
    void hangUp() {
        end();
        WebSocket open = socket;
        if (open != null) {
            input.execute(() -> open.close(1000, "the virtual machine instance stopped"));
        }
    }

    /** Whether the console's shell runs. */
    boolean shellRunning() {
        Process process = shell;
        return process != null && process.isAlive();
    }
}
