package dk.sdu.cloud.im.kubevirt.disk;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response body handed from the HTTP client's threads to the one thread that stores it, up to about
 * {@value #AHEAD_BYTES} bytes ahead, in batches of about {@code wakeBytes}.
 *
 * <p>Why not {@code BodyHandlers.ofInputStream()}: its stream lets the client deliver one buffer (16 KiB by
 * default) at a time, so every 16 KiB the two threads wait for each other, which cost a 1 GiB download most of
 * its speed. Here the client reads on while the reader hashes and writes, and the reader gets whole buffers
 * to use as they are (no copy into an array of its own).
 *
 * <p>Why batches: a reader that is faster than the network would otherwise sleep and be woken for every
 * delivery, two system calls and two context switches each time, and on a loaded host every hand-over waits
 * for the scheduler. The reader is woken only when {@code wakeBytes} are waiting, when half of the deliveries
 * asked for are waiting (so that small deliveries never leave both sides waiting for each other), or when the
 * body ended; fewer bytes than a batch are taken within {@value #LINGER_MILLIS} ms (a slow server, the last
 * bytes before a pause). The download's watchdog judges stalls by {@link #arrived()}, not by what the
 * reader took.
 *
 * <p>The demand is the bound. The client's deliveries are buffers of at most its buffer size
 * ({@code jdk.httpclient.bufsize}), one per delivery as a rule, so it is asked for about {@value #AHEAD_BYTES}
 * bytes' worth of deliveries at first and one more for each the reader has used ({@link #consumed}): the queue never holds
 * more than that.
 */
final class QueuedBody implements HttpResponse.BodySubscriber<QueuedBody> {
    /** What the client may read ahead of the reader: the memory a download holds at most. */
    static final long AHEAD_BYTES = 8L << 20;
    /** The batch the download reads in. */
    static final int DEFAULT_WAKE_BYTES = 1 << 20;
    /** How long bytes short of a batch may wait for more before the reader takes them. */
    static final long LINGER_MILLIS = 50;
    /** The JDK client's buffer size when {@code jdk.httpclient.bufsize} is not set. */
    static final int JDK_DEFAULT_BUFFER_BYTES = 16 * 1024;

    private final long wakeBytes;
    private final int ahead;
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    /** Why the body ended early: the client's error or the reason given to {@link #abort}; the first wins. */
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<List<ByteBuffer>> queue = new ArrayDeque<>();   // guarded by lock
    private long queuedBytes;      // guarded by lock
    private long arrivedBytes;     // guarded by lock
    private boolean ended;         // guarded by lock
    private boolean aborted;       // guarded by lock
    /** Deliveries handed to the reader by the last take, to be asked for again by {@link #consumed}. */
    private int taken;             // the reader's thread only

    /**
     * A body read in batches of {@value #DEFAULT_WAKE_BYTES} bytes, {@value #AHEAD_BYTES} bytes ahead with
     * the JVM's client buffer size.
     */
    QueuedBody() {
        this(DEFAULT_WAKE_BYTES, deliveriesAhead(clientBufferBytes()));
    }

    /**
     * @param wakeBytes waiting bytes that wake the reader; 1 hands over each delivery as it comes
     * @param ahead     deliveries the client may make ahead of the reader
     */
    QueuedBody(long wakeBytes, int ahead) {
        if (wakeBytes < 1 || ahead < 2) {
            throw new IllegalArgumentException("wakeBytes must be positive and ahead at least 2, got " + wakeBytes
                    + " and " + ahead);
        }
        this.wakeBytes = wakeBytes;
        this.ahead = ahead;
    }

    /** The JDK HTTP client's buffer size: its documented property, read as the client reads it. */
    static int clientBufferBytes() {
        Integer configured = Integer.getInteger("jdk.httpclient.bufsize");
        return configured == null || configured <= 0 ? JDK_DEFAULT_BUFFER_BYTES : configured;
    }

    /** Deliveries of {@code bufferBytes} each that make {@value #AHEAD_BYTES} bytes, at least 16. */
    static int deliveriesAhead(int bufferBytes) {
        return (int) Math.max(16, AHEAD_BYTES / bufferBytes);
    }

    /** Deliveries the client may make ahead of the reader. */
    int ahead() {
        return ahead;
    }

    @Override
    public void onSubscribe(Flow.Subscription given) {
        if (!subscription.complete(given) || failure.get() != null) {
            given.cancel();
            return;
        }
        given.request(ahead);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        long size = 0;
        for (ByteBuffer buffer : buffers) {
            size += buffer.remaining();
        }
        if (size == 0) {
            // Nothing to hand over, but it used one of the deliveries asked for.
            subscription.join().request(1);
            return;
        }
        lock.lock();
        try {
            if (aborted) {
                return;   // the client had not seen the cancel yet
            }
            queue.add(buffers);
            queuedBytes += size;
            arrivedBytes += size;
            if (queuedBytes >= wakeBytes || queue.size() >= ahead / 2) {
                ready.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onError(Throwable error) {
        failure.compareAndSet(null, error instanceof IOException io ? io : new IOException(error.getMessage(), error));
        end();
    }

    @Override
    public void onComplete() {
        end();
    }

    private void end() {
        lock.lock();
        try {
            ended = true;
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletionStage<QueuedBody> getBody() {
        // At once, as ofInputStream: the caller reads the body after looking at the status and headers.
        return CompletableFuture.completedFuture(this);
    }

    /** The bytes the client has delivered so far, taken or not. */
    long arrived() {
        lock.lock();
        try {
            return arrivedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a batch is waiting, or the end: {@link #take} returns at once. */
    boolean ready() {
        lock.lock();
        try {
            return wakesReader();
        } finally {
            lock.unlock();
        }
    }

    private boolean wakesReader() {
        return ended || queuedBytes >= wakeBytes || queue.size() >= ahead / 2;
    }

    /**
     * The next buffers of the body, all that are waiting, in order; waits until a batch is there, or for at
     * most {@value #LINGER_MILLIS} ms once there are bytes (see the class comment); after the last, an empty
     * list. Each returned list must be followed by {@link #consumed}
     * once its buffers are no longer needed.
     *
     * @throws IOException          when the body failed (after what came before the failure was taken) or was
     *                              {@linkplain #abort aborted} (at once)
     * @throws InterruptedException when the thread is interrupted while it waits
     */
    List<ByteBuffer> take() throws IOException, InterruptedException {
        List<ByteBuffer> batch;
        lock.lockInterruptibly();
        try {
            long linger = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
            while (!wakesReader() && (linger > 0 || queue.isEmpty())) {
                linger = ready.awaitNanos(queue.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS) : linger);
            }
            if (queue.isEmpty() || aborted) {
                IOException failed = failure.get();
                if (failed != null) {
                    throw new IOException(failed.getMessage(), failed);
                }
                return List.of();
            }
            taken = queue.size();
            batch = queue.size() == 1 ? queue.poll() : new ArrayList<>();
            for (List<ByteBuffer> delivery; (delivery = queue.poll()) != null; ) {
                batch.addAll(delivery);
            }
            queuedBytes = 0;
        } finally {
            lock.unlock();
        }
        return batch;
    }

    /** The buffers of the last {@link #take} are used up: the client may deliver as many times more. */
    void consumed() {
        if (taken > 0) {
            subscription.join().request(taken);
            taken = 0;
        }
    }

    /**
     * Stops the body: the client stops reading (the connection is closed), what waits is dropped, and the
     * reader's {@link #take} fails with {@code why}, at once if it waits. Any thread may call it, any number of
     * times.
     */
    void abort(IOException why) {
        failure.compareAndSet(null, why);
        subscription.thenAccept(Flow.Subscription::cancel);
        lock.lock();
        try {
            queue.clear();
            queuedBytes = 0;
            aborted = true;
            ended = true;
            ready.signal();
        } finally {
            lock.unlock();
        }
    }
}
