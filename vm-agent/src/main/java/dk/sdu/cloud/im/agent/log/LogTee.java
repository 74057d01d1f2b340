package dk.sdu.cloud.im.agent.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Passes what is written on to a stream (the agent's standard error, which journald keeps) and also puts each
 * line into a {@link LogQueue}. The agent's logger writes to standard error, so this sees every log record
 * without tying the agent to a logging library. A line is cut once it holds more bytes than a log line may, so a
 * line without an end costs bounded memory.
 */
public final class LogTee extends OutputStream {
    private static final int MAX_LINE_BYTES = LogQueue.MAX_LINE_CHARS * 4;

    private final OutputStream out;
    private final LogQueue queue;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();   // guarded by this

    public LogTee(OutputStream out, LogQueue queue) {
        this.out = requireNonNull(out, "out is null");
        this.queue = requireNonNull(queue, "queue is null");
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
        collect(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        for (int i = offset; i < offset + length; i++) {
            collect(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    private void collect(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            queue.add(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        } else if (line.size() < MAX_LINE_BYTES) {
            line.write(b);
        }
    }
}
