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
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response body handed from the HTTP client's threads to the one thread that stores it, up to
 * {@value #AHEAD} of the client's deliveries ahead, in batches of about {@code wakeBytes}.
 *
 * <p>Why not {@code BodyHandlers.ofInputStream()}: its stream lets the client deliver one list of buffers
 * (usually 16 KiB) at a time, so every 16 KiB the two threads wait for each other, which cost a 1 GiB
 * download most of its speed. Here the client reads on while the reader hashes and writes, and the reader
 * gets whole buffers to use as they are (no copy into an array of its own).
 *
 * <p>Why batches: a reader that is faster than the network would otherwise sleep and be woken for every
 * 16 KiB delivery, two system calls and two context switches each time, which on a loaded 2-core host cost
 * as much CPU as hashing the bytes. The reader is woken only when {@code wakeBytes} are waiting, when half
 * of the deliveries asked for are waiting (so that deliveries of a few bytes never leave both sides
 * waiting for each other), or when the body ended. A trickle below that waits in the queue; the download's
 * watchdog therefore judges stalls by {@link #arrived()}, not by what the reader took.
 *
 * <p>The demand is the bound: the client is asked for {@value #AHEAD} deliveries at first and one more for
 * each the reader has used ({@link #consumed}), so the queue never holds more than that.
 */
final class QueuedBody implements HttpResponse.BodySubscriber<QueuedBody> {
    /** Deliveries the client may make ahead of the reader: with 16 KiB buffers, a few MiB. */
    static final int AHEAD = 256;
    /** Waiting deliveries that wake the reader whatever their size. */
    static final int WAKE_DELIVERIES = AHEAD / 2;
    /** The batch the download reads in: 64 deliveries of the client's default 16 KiB. */
    static final int DEFAULT_WAKE_BYTES = 1 << 20;

    private final long wakeBytes;
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

    /** A body read in batches of {@value #DEFAULT_WAKE_BYTES} bytes. */
    QueuedBody() {
        this(DEFAULT_WAKE_BYTES);
    }

    /** @param wakeBytes waiting bytes that wake the reader; 1 hands over each delivery as it comes */
    QueuedBody(long wakeBytes) {
        if (wakeBytes < 1) {
            throw new IllegalArgumentException("wakeBytes must be positive, got " + wakeBytes);
        }
        this.wakeBytes = wakeBytes;
    }

    @Override
    public void onSubscribe(Flow.Subscription given) {
        if (!subscription.complete(given) || failure.get() != null) {
            given.cancel();
            return;
        }
        given.request(AHEAD);
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
            if (queuedBytes >= wakeBytes || queue.size() >= WAKE_DELIVERIES) {
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

    /** Whether {@link #take} would return at once. */
    boolean ready() {
        lock.lock();
        try {
            return wakesReader();
        } finally {
            lock.unlock();
        }
    }

    private boolean wakesReader() {
        return ended || queuedBytes >= wakeBytes || queue.size() >= WAKE_DELIVERIES;
    }

    /**
     * The next buffers of the body, all that are waiting, in order; waits until a batch is there (see the
     * class comment); after the last, an empty list. Each returned list must be followed by {@link #consumed}
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
            while (!wakesReader()) {
                ready.await();
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
