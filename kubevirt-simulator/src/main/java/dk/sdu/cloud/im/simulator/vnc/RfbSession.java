package dk.sdu.cloud.im.simulator.vnc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The server side of one RFB connection (RFC 6143) showing a {@link TestScreen}: protocol version 3.8 (3.3 and
 * 3.7 clients are served as the RFC says; any other 3.x as 3.3), security type None, ServerInit with the
 * screen's size, 32-bit true colour and the VMI's name, then the client's messages: SetPixelFormat (true colour
 * of 8, 16 or 32 bits per pixel; anything else ends the session), SetEncodings (read; Raw is always used),
 * FramebufferUpdateRequest (a full request is answered at once, an incremental one when what it covers
 * changed: the clock every second, or input), KeyEvent and PointerEvent (shown on the screen) and
 * ClientCutText (read and dropped, at most {@link #MAX_CUT_TEXT} bytes: a longer one ends the session).
 *
 * <p>Two threads: a reader that does the handshake and then reads the client's messages, and a writer
 * (started after ServerInit) that alone writes updates, so a slow viewer never stops its input being read.
 * Everything read is bounded by the message it belongs to. The session ends (once; {@code onEnd} is told why)
 * when the client's stream ends, the client breaks the protocol, a write fails or {@link #stop()} is called.
 */
public final class RfbSession {

    /** The longest ClientCutText accepted (its text is read and dropped). */
    public static final int MAX_CUT_TEXT = 1 << 20;
    /** What the server announces first. */
    public static final String VERSION = "RFB 003.008\n";

    private static final Pattern CLIENT_VERSION = Pattern.compile("RFB (\\d{3})\\.(\\d{3})\n");
    private static final int SECURITY_NONE = 1;
    private static final int RAW = 0;

    /**
     * Why a session ended.
     *
     * @param violation whether the client broke the protocol (or asked for what is not served)
     * @param reason    what happened, for a log or a close frame
     */
    public record End(boolean violation, String reason) {
        public End {
            requireNonNull(reason, "reason is null");
        }
    }

    private final String name;
    private final InputStream in;
    private final OutputStream out;
    private final TestScreen screen;
    private final Clock clock;
    private final Duration clockPoll;
    private final String threadName;
    private final Consumer<End> onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final byte[] scratch = new byte[8192];

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock: what the writer sends, and in which format.
    private PixelFormat format = PixelFormat.DEFAULT;
    private Rect requested;
    private boolean fullRequested;
    private Rect dirty;
    // Not under the lock: stopping never waits for the writer (which holds the lock while it encodes).
    private volatile boolean stopped;

    private volatile Thread reader;
    private volatile Thread writer;

    /**
     * @param name       the desktop name ServerInit announces (the VMI's)
     * @param in         the client's bytes (read by the session's reader thread only)
     * @param out        where the server's bytes go (written by one thread at a time)
     * @param screen     the picture (used by the session only)
     * @param clock      the time the screen shows
     * @param clockPoll  how often the writer looks whether the second shown has changed
     * @param threadName the prefix of the session's threads' names
     * @param onEnd      told once why the session ended (on one of its threads, or on the caller of stop)
     */
    public RfbSession(String name, InputStream in, OutputStream out, TestScreen screen, Clock clock,
                      Duration clockPoll, String threadName, Consumer<End> onEnd) {
        this.name = requireNonNull(name, "name is null");
        this.in = requireNonNull(in, "in is null");
        this.out = requireNonNull(out, "out is null");
        this.screen = requireNonNull(screen, "screen is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.clockPoll = requireNonNull(clockPoll, "clockPoll is null");
        this.threadName = requireNonNull(threadName, "threadName is null");
        this.onEnd = requireNonNull(onEnd, "onEnd is null");
        if (clockPoll.isZero() || clockPoll.isNegative()) {
            throw new IllegalArgumentException("clockPoll must be positive, got " + clockPoll);
        }
    }

    /** Starts the reader thread: the server's version goes out, the handshake follows. */
    public void start() {
        Thread thread = new Thread(this::serve, threadName + "-reader");
        thread.setDaemon(true);
        reader = thread;
        thread.start();
    }

    /** Ends the session (the threads end soon; {@link #awaitThreads} waits for them). */
    public void stop() {
        end(new End(false, "the session was stopped"));
    }

    /** Waits (at most {@code timeout}) for the session's threads to end; whether they did. */
    public boolean awaitThreads(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : new Thread[] {reader, writer}) {
            if (thread != null) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void end(End end) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        stopped = true;
        // The reader may wait for input, the writer for a request or a write: an interrupt ends each wait (a
        // thread not started yet sees stopped). Neither is the caller unless it ends itself.
        for (Thread thread : new Thread[] {reader, writer}) {
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
        onEnd.accept(end);
    }

    private void serve() {
        try {
            handshake();
            Thread thread = new Thread(this::sendUpdates, threadName + "-writer");
            thread.setDaemon(true);
            writer = thread;
            if (ended.get()) {
                return;
            }
            thread.start();
            readMessages();
            end(new End(false, "the viewer closed the connection"));
        } catch (Violation e) {
            end(new End(true, e.getMessage()));
        } catch (EOFException e) {
            end(new End(false, "the viewer closed the connection"));
        } catch (IOException e) {
            end(new End(false, "the connection failed: " + e.getMessage()));
        }
    }

    private void handshake() throws IOException {
        write(VERSION.getBytes(StandardCharsets.US_ASCII));
        String version = new String(readFully(12), StandardCharsets.US_ASCII);
        int minor = minorVersion(version);
        if (minor == 3) {
            // 3.3: the server decides, the client does not answer, and None has no SecurityResult.
            write(ByteBuffer.allocate(4).putInt(SECURITY_NONE).array());
        } else {
            write(new byte[] {1, SECURITY_NONE});
            int chosen = readU8();
            if (chosen != SECURITY_NONE) {
                if (minor == 8) {
                    byte[] reason = ("security type " + chosen + " is not offered").getBytes(StandardCharsets.UTF_8);
                    write(ByteBuffer.allocate(8 + reason.length).putInt(1).putInt(reason.length).put(reason).array());
                }
                throw new Violation("the viewer chose security type " + chosen + ", only None (1) is offered");
            }
            if (minor == 8) {
                write(ByteBuffer.allocate(4).putInt(0).array());
            }
        }
        readU8();   // ClientInit's shared flag: one viewer per VMI is kept by whoever serves the stream
        byte[] desktop = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer init = ByteBuffer.allocate(4 + PixelFormat.WIRE_SIZE + 4 + desktop.length)
                .putShort((short) TestScreen.WIDTH).putShort((short) TestScreen.HEIGHT);
        PixelFormat.DEFAULT.write(init);
        write(init.putInt(desktop.length).put(desktop).array());
    }

    // 3 for 3.3 and versions the RFC says to take as 3.3, 7 or 8.
    private static int minorVersion(String version) throws Violation {
        Matcher matcher = CLIENT_VERSION.matcher(version);
        if (!matcher.matches()) {
            throw new Violation("not an RFB protocol version: " + version.replaceAll("[^\\x20-\\x7e]", "?"));
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        if (major < 3) {
            throw new Violation("RFB " + major + "." + minor + " is not served (3.3 and later are)");
        }
        if (major > 3 || minor >= 8) {
            return 8;
        }
        return minor == 7 ? 7 : 3;
    }

    private void readMessages() throws IOException {
        while (true) {
            int type = in.read();
            if (type < 0) {
                return;
            }
            switch (type) {
                case 0 -> setPixelFormat();
                case 2 -> {
                    skip(1);
                    skip(4L * readU16());   // at most 65535 encodings; Raw is what every client takes
                }
                case 3 -> {
                    boolean incremental = readU8() != 0;
                    Rect area = new Rect(readU16(), readU16(), readU16(), readU16());
                    request(incremental, area.intersection(TestScreen.bounds()));
                }
                case 4 -> {
                    boolean down = readU8() != 0;
                    skip(2);
                    long keysym = readU32();
                    changedBy(() -> screen.showKey(keysym, down));
                }
                case 5 -> {
                    int buttons = readU8();
                    int x = readU16();
                    int y = readU16();
                    changedBy(() -> screen.showPointer(x, y, buttons));
                }
                case 6 -> {
                    skip(3);
                    long length = readU32();
                    if (length > MAX_CUT_TEXT) {
                        throw new Violation("ClientCutText of " + length + " bytes is longer than the "
                                + MAX_CUT_TEXT + " accepted");
                    }
                    skip(length);
                }
                default -> throw new Violation("unknown client message type " + type);
            }
        }
    }

    private void setPixelFormat() throws IOException {
        skip(3);
        PixelFormat requestedFormat = PixelFormat.read(ByteBuffer.wrap(readFully(PixelFormat.WIRE_SIZE)));
        String problem = requestedFormat.problem();
        if (problem != null) {
            throw new Violation("SetPixelFormat refused: " + problem);
        }
        lock.lock();
        try {
            format = requestedFormat;
        } finally {
            lock.unlock();
        }
    }

    private void request(boolean incremental, Rect area) {
        lock.lock();
        try {
            requested = requested == null ? area : requested.union(area);
            fullRequested |= !incremental;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void changedBy(Supplier<Rect> change) {
        lock.lock();
        try {
            Rect area = change.get();
            dirty = dirty == null ? area : dirty.union(area);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The writer: waits for a request it can answer (looking at the clock now and then) and answers it. */
    private void sendUpdates() {
        try {
            while (true) {
                byte[] update = nextUpdate();
                if (update == null) {
                    return;
                }
                write(update);
            }
        } catch (IOException e) {
            end(new End(false, "the connection failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            end(new End(false, "the session was stopped"));
        }
    }

    // The next FramebufferUpdate to send, or null when the session has ended.
    private byte[] nextUpdate() throws InterruptedException {
        lock.lock();
        try {
            while (!stopped) {
                Rect time = screen.showTime(clock.instant());
                if (time != null) {
                    dirty = dirty == null ? time : dirty.union(time);
                }
                if (requested != null) {
                    Rect area = fullRequested ? requested : requested.intersection(dirty == null ? requested : dirty);
                    if (fullRequested || (dirty != null && !area.isEmpty())) {
                        requested = null;
                        fullRequested = false;
                        if (dirty != null && area.contains(dirty)) {
                            dirty = null;
                        }
                        return encode(area);
                    }
                }
                changed.awaitNanos(clockPoll.toNanos());
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    // FramebufferUpdate with one Raw rectangle (none when the area is empty).
    private byte[] encode(Rect area) {
        int pixels = area.width() * area.height() * format.bytesPerPixel();
        ByteBuffer update = ByteBuffer.allocate(4 + (area.isEmpty() ? 0 : 12 + pixels))
                .put((byte) 0).put((byte) 0).putShort((short) (area.isEmpty() ? 0 : 1));
        if (!area.isEmpty()) {
            update.putShort((short) area.x()).putShort((short) area.y())
                    .putShort((short) area.width()).putShort((short) area.height()).putInt(RAW);
            screen.encode(area, format, update.array(), update.position());
        }
        return update.array();
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private int readU8() throws IOException {
        int value = in.read();
        if (value < 0) {
            throw new EOFException();
        }
        return value;
    }

    private int readU16() throws IOException {
        return readU8() << 8 | readU8();
    }

    private long readU32() throws IOException {
        return ((long) readU16() << 16) | readU16();
    }

    private byte[] readFully(int length) throws IOException {
        byte[] bytes = new byte[length];
        int at = 0;
        while (at < length) {
            int read = in.read(bytes, at, length - at);
            if (read < 0) {
                throw new EOFException();
            }
            at += read;
        }
        return bytes;
    }

    private void skip(long length) throws IOException {
        long left = length;
        while (left > 0) {
            int read = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (read < 0) {
                throw new EOFException();
            }
            left -= read;
        }
    }

    /** The client broke the protocol or asked for what is not served. */
    private static final class Violation extends IOException {
        Violation(String message) {
            super(message);
        }
    }
}
