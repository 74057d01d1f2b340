package dk.sdu.cloud.im.harness.client;

import dk.sdu.cloud.im.harness.shell.ShellSocket;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * A shell in a job, opened through the provider API ({@link HarnessClient#openShell}): the websocket of UCloud's
 * shell, with the output kept until it is read. Safe to use from one thread at a time; the output arrives on the
 * client's threads.
 */
public final class ShellSession implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String STREAM = "0";

    private final WebSocket socket;
    private final String call;
    private final Duration timeout;
    private final Object lock = new Object();
    private final StringBuilder output = new StringBuilder();
    private final StringBuilder partial = new StringBuilder();
    private boolean initialized;
    private long acks;
    private String error;
    private Closed closed;

    /**
     * How the connection ended.
     *
     * @param code   the websocket close status (-1 when it broke)
     * @param reason the reason the IM gave
     */
    public record Closed(int code, String reason) {
    }

    private ShellSession(URI uri, String providerId, Duration timeout) {
        this.call = ShellSocket.callOf(providerId);
        this.timeout = timeout;
        try {
            this.socket = HttpClient.newBuilder().connectTimeout(timeout).build().newWebSocketBuilder()
                    .connectTimeout(timeout).buildAsync(uri, new Listener())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessClientException(0, "interrupted while connecting to " + uri, e);
        } catch (Exception e) {
            throw new HarnessClientException(0, "cannot open the shell's websocket " + uri + ": " + rootMessage(e), e);
        }
    }

    /** Connects, sends the initialize and waits for its answer. */
    static ShellSession open(URI uri, String providerId, String sessionIdentifier, int cols, int rows,
                             Duration timeout) {
        ShellSession session = new ShellSession(uri, providerId, timeout);
        try {
            ObjectNode payload = JSON.createObjectNode();
            payload.put("type", "initialize");
            payload.put("sessionIdentifier", sessionIdentifier);
            payload.put("cols", cols);
            payload.put("rows", rows);
            session.sendFrame(payload);
            session.await(() -> session.initialized, "the shell's initialize answer");
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Sends keys (or pasted text) to the shell. */
    public void send(String input) {
        requireNonNull(input, "input is null");
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "input");
        payload.put("data", input);
        sendFrame(payload);
    }

    /** Tells the shell the terminal's new size. */
    public void resize(int cols, int rows) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "resize");
        payload.put("cols", cols);
        payload.put("rows", rows);
        sendFrame(payload);
    }

    /**
     * Waits until the output holds {@code marker}, and takes the output up to and including it (the rest stays for
     * the next read).
     *
     * @throws HarnessClientException when the shell ends, or the marker does not come within {@code within}
     */
    public String readUntil(String marker, Duration within) {
        requireNonNull(marker, "marker is null");
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (lock) {
            while (output.indexOf(marker) < 0) {
                if (closed != null) {
                    throw new HarnessClientException(0, "the shell ended (" + closed.code() + " " + closed.reason()
                            + (error == null ? "" : "; " + error) + ") before it printed '" + marker + "'; it printed: "
                            + abbreviate(output.toString()), null);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new HarnessClientException(0, "the shell did not print '" + marker + "' within "
                            + within.toSeconds() + " s; it printed: " + abbreviate(output.toString()), null);
                }
                waitOn(left);
            }
            int end = output.indexOf(marker) + marker.length();
            String taken = output.substring(0, end);
            output.delete(0, end);
            return taken;
        }
    }

    /**
     * Waits until the shell printed anything, and takes all that it printed so far (the first thing a shell shows
     * says which way it runs: a prompt, or the IM's notice of a fallback).
     *
     * @throws HarnessClientException when the shell ends, or prints nothing within {@code within}
     */
    public String readSome(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (lock) {
            while (output.isEmpty()) {
                if (closed != null) {
                    throw new HarnessClientException(0, "the shell ended (" + closed.code() + " " + closed.reason()
                            + (error == null ? "" : "; " + error) + ") before it printed anything", null);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new HarnessClientException(0, "the shell printed nothing within " + within.toSeconds() + " s", null);
                }
                waitOn(left);
            }
            String taken = output.toString();
            output.setLength(0);
            return taken;
        }
    }

    /** The output received and not yet read, taken. */
    public String drain() {
        synchronized (lock) {
            String taken = output.toString();
            output.setLength(0);
            return taken;
        }
    }

    /** How many inputs the IM has acknowledged. */
    public long acks() {
        synchronized (lock) {
            return acks;
        }
    }

    /** Waits until the IM acknowledged {@code count} inputs in all. */
    public void awaitAcks(long count) {
        await(() -> acks >= count, count + " acknowledged inputs");
    }

    /** How the connection ended, when it has. */
    public Optional<Closed> closed() {
        synchronized (lock) {
            return Optional.ofNullable(closed);
        }
    }

    /** Waits until the connection ended. */
    public Closed awaitClosed() {
        await(() -> closed != null, "the end of the shell");
        return closed().orElseThrow();
    }

    /**
     * Runs one command in the shell and returns what it printed (without the shell's prompt and echo) and its exit
     * status. The command goes as one line, base64-encoded for {@code eval}, between two marker lines that only the
     * shell's printing (not the terminal's echo) shows; the shell needs {@code printf} and {@code base64}.
     *
     * @throws HarnessClientException when the shell ends or the command does not finish within {@code within}
     */
    public CommandResult run(String command, Duration within) {
        requireNonNull(command, "command is null");
        String nonce = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        String begin = "__ucloud_im_begin_" + nonce;
        String end = "__ucloud_im_end_" + nonce + "_";
        String encoded = java.util.Base64.getEncoder().encodeToString(command.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send("printf '%s_%s\\n' __ucloud_im_begin " + nonce + "; eval \"$(printf %s " + encoded
                + " | base64 -d)\"; printf '\\n%s_%s_%s\\n' __ucloud_im_end " + nonce + " \"$?\"\n");
        long deadline = System.nanoTime() + within.toNanos();
        readUntil(begin, left(deadline));
        readUntil("\n", left(deadline));
        String printed = readUntil(end, left(deadline));
        String status = readUntil("\n", left(deadline)).strip();
        String text = printed.substring(0, printed.length() - end.length()).replace("\r\n", "\n");
        // The newline the end marker's printf put before it.
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        int exit;
        try {
            exit = Integer.parseInt(status);
        } catch (NumberFormatException e) {
            throw new HarnessClientException(0, "the shell printed no exit status after the command: '" + status + "'", e);
        }
        return new CommandResult(text, exit);
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * What a command printed and how it ended.
     *
     * @param output     its output (standard output and error as the terminal showed them), line ends as {@code \n}
     * @param exitStatus its exit status
     */
    public record CommandResult(String output, int exitStatus) {
    }

    /** Closes the connection (1000); the IM then ends the shell. */
    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.abort();
        } catch (Exception e) {
            socket.abort();
        }
    }

    private void sendFrame(ObjectNode payload) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("call", call);
        frame.put("streamId", STREAM);
        frame.set("payload", payload);
        String text = JSON.writeValueAsString(frame);
        synchronized (socket) {
            try {
                socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HarnessClientException(0, "interrupted while sending to the shell", e);
            } catch (Exception e) {
                throw new HarnessClientException(0, "cannot send to the shell: " + rootMessage(e)
                        + closed().map(c -> " (it ended: " + c.code() + " " + c.reason() + ")").orElse(""), e);
            }
        }
    }

    private interface Condition {
        boolean holds();
    }

    private void await(Condition condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.holds()) {
                if (closed != null && !condition.holds()) {
                    throw new HarnessClientException(0, "the shell ended (" + closed.code() + " " + closed.reason()
                            + ") before " + what + (error == null ? "" : ": " + error), null);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new HarnessClientException(0, "no " + what + " within " + timeout.toSeconds() + " s", null);
                }
                waitOn(left);
            }
        }
    }

    private void waitOn(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessClientException(0, "interrupted while waiting for the shell", e);
        }
    }

    private void received(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JacksonException e) {
            return;
        }
        JsonNode payload = frame.path("payload");
        synchronized (lock) {
            if ("response".equals(frame.path("type").asString())) {
                error = "HTTP-like status " + frame.path("status").asInt() + ": " + payload.path("why").asString();
            } else {
                switch (payload.path("type").asString()) {
                    case "initialize" -> initialized = true;
                    case "data" -> output.append(payload.path("data").asString());
                    case "ack" -> acks++;
                    default -> {
                        // something newer than this client
                    }
                }
            }
            lock.notifyAll();
        }
    }

    private void ended(int code, String reason) {
        synchronized (lock) {
            if (closed == null) {
                closed = new Closed(code, reason == null ? "" : reason);
            }
            lock.notifyAll();
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(-1, error.toString());
        }
    }

    private static String abbreviate(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() > 400 ? "..." + flat.substring(flat.length() - 400) : flat;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while ((root instanceof CompletionException || root instanceof java.util.concurrent.ExecutionException
                || root.getCause() != null) && root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof TimeoutException) {
            return "no answer in time";
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
