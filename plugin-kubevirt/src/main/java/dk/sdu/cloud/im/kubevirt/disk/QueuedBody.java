package dk.sdu.cloud.im.kubevirt.disk;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A response body handed from the HTTP client's threads to the one thread that stores it, up to
 * {@value #AHEAD} of the client's deliveries ahead.
 *
 * <p>Why not {@code BodyHandlers.ofInputStream()}: its stream lets the client deliver one list of buffers
 * (usually 16 KiB) at a time, so every 16 KiB the two threads wait for each other, which cost a 1 GiB
 * download most of its speed. Here the client reads on while the reader hashes and writes, and the reader
 * gets whole buffers to use as they are (no copy into an array of its own).
 *
 * <p>The demand is the bound: the client is asked for {@value #AHEAD} deliveries at first and one more for
 * each the reader has used ({@link #consumed}), so the queue never holds more than that.
 */
final class QueuedBody implements HttpResponse.BodySubscriber<QueuedBody> {
    /** Deliveries the client may make ahead of the reader: with 16 KiB buffers, a few MiB. */
    static final int AHEAD = 256;
    /** Marks the end of the body, by identity. */
    private static final List<ByteBuffer> END = new ArrayList<>(0);

    private final BlockingQueue<List<ByteBuffer>> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    /** Why the body ended early: the client's error or the reason given to {@link #abort}; the first wins. */
    private final AtomicReference<IOException> failure = new AtomicReference<>();

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
        if (buffers.isEmpty()) {
            // Nothing to hand over, but it used one of the deliveries asked for.
            subscription.join().request(1);
            return;
        }
        queue.add(buffers);
    }

    @Override
    public void onError(Throwable error) {
        failure.compareAndSet(null, error instanceof IOException io ? io : new IOException(error.getMessage(), error));
        queue.add(END);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public CompletionStage<QueuedBody> getBody() {
        // At once, as ofInputStream: the caller reads the body after looking at the status and headers.
        return CompletableFuture.completedFuture(this);
    }

    /**
     * The next buffers of the body, waiting for them; after the last, an empty list. Each returned list must
     * be followed by {@link #consumed} once its buffers are no longer needed.
     *
     * @throws IOException          when the body failed or was {@linkplain #abort aborted}
     * @throws InterruptedException when the thread is interrupted while it waits
     */
    List<ByteBuffer> take() throws IOException, InterruptedException {
        List<ByteBuffer> next = queue.take();
        if (next != END) {
            return next;
        }
        queue.add(END);   // so that a later take() ends too
        IOException failed = failure.get();
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
        return List.of();
    }

    /** The buffers of the last {@link #take} are used up: the client may deliver once more. */
    void consumed() {
        subscription.join().request(1);
    }

    /**
     * Stops the body: the client stops reading (the connection is closed) and the reader's {@link #take}
     * fails with {@code why}, at once if it waits. Any thread may call it, any number of times.
     */
    void abort(IOException why) {
        failure.compareAndSet(null, why);
        subscription.thenAccept(Flow.Subscription::cancel);
        queue.add(END);
    }
}
