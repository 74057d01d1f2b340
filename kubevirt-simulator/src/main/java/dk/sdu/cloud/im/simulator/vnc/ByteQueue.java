package dk.sdu.cloud.im.simulator.vnc;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes handed over from a thread that must never wait (a websocket's event loop) to one that reads them as a
 * stream, holding at most {@code capacity} unread bytes: an offer that would exceed it is refused, so a peer
 * that sends faster than it is read cannot make it grow. {@link #close()} ends the stream: the reader sees what
 * was offered before, then the end.
 */
public final class ByteQueue extends InputStream {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int unread;
    private int headOffset;
    private boolean closed;

    /** @param capacity the most unread bytes it holds */
    public ByteQueue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds bytes (copied) to the end of the stream, never waiting.
     *
     * @return false when they would exceed the capacity (nothing is added) or the stream is closed
     */
    public boolean offer(byte[] bytes, int offset, int length) {
        lock.lock();
        try {
            if (closed || length > capacity - unread) {
                return false;
            }
            if (length > 0) {
                chunks.addLast(Arrays.copyOfRange(bytes, offset, offset + length));
                unread += length;
                readable.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #offer(byte[], int, int)} of a whole array. */
    public boolean offer(byte[] bytes) {
        return offer(bytes, 0, bytes.length);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Waits for at least one byte or the end; an interrupt ends the wait with an {@link IOException}. */
    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (unread == 0) {
                if (closed) {
                    return -1;
                }
                readable.await();
            }
            int copied = 0;
            while (copied < length && !chunks.isEmpty()) {
                byte[] head = chunks.peekFirst();
                int count = Math.min(length - copied, head.length - headOffset);
                System.arraycopy(head, headOffset, into, offset + copied, count);
                copied += count;
                headOffset += count;
                if (headOffset == head.length) {
                    chunks.removeFirst();
                    headOffset = 0;
                }
            }
            unread -= copied;
            return copied;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for input", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #read(byte[], int, int)}, but gives up after a while (for tests and clients that must not
     * hang): -1 at the end, else the bytes read.
     *
     * @throws IOException when nothing came within the timeout
     */
    public int read(byte[] into, int offset, int length, long timeout, TimeUnit unit) throws IOException {
        lock.lock();
        try {
            long nanos = unit.toNanos(timeout);
            while (unread == 0 && !closed) {
                if (nanos <= 0) {
                    throw new IOException("nothing to read within " + timeout + " " + unit);
                }
                nanos = readable.awaitNanos(nanos);
            }
            return read(into, offset, length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for input", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return unread;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream after what is unread; later offers are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
