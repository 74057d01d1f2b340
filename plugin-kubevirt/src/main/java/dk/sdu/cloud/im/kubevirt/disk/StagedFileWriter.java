package dk.sdu.cloud.im.kubevirt.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Writes a stream of buffers to a file in large pieces and forces what it wrote to disk behind the writes,
 * for one download on one thread.
 *
 * <p>The pieces go through one direct buffer, so the channel writes them without a copy of its own and no
 * buffer is allocated per piece. The background force ({@code fdatasync}) runs on the flusher every
 * {@code flushBytes} written, at most one at a time: the disk then writes while the network delivers,
 * instead of all of it in the force that {@link #finish} ends with (which must come before the file is
 * trusted, so that a crash never leaves a renamed file whose data was only in the page cache).
 */
final class StagedFileWriter {
    private final FileChannel out;
    private final Executor flusher;
    private final long flushBytes;
    private final ByteBuffer staging;
    private long written;
    private long flushedMark;
    private CompletableFuture<Void> flush = CompletableFuture.completedFuture(null);

    /**
     * @param pieceBytes the size of each write
     * @param flushBytes bytes written after which a background force starts
     */
    StagedFileWriter(FileChannel out, Executor flusher, int pieceBytes, long flushBytes) {
        this.out = requireNonNull(out, "out is null");
        this.flusher = requireNonNull(flusher, "flusher is null");
        if (pieceBytes < 1 || flushBytes < 1) {
            throw new IllegalArgumentException("pieceBytes and flushBytes must be positive");
        }
        this.flushBytes = flushBytes;
        this.staging = ByteBuffer.allocateDirect(pieceBytes);
    }

    /** Takes all of {@code source}'s remaining bytes (its position moves to its limit). */
    void write(ByteBuffer source) throws IOException {
        while (source.hasRemaining()) {
            if (source.remaining() <= staging.remaining()) {
                staging.put(source);
            } else {
                // Only a buffer that crosses a piece's end is split.
                int length = staging.remaining();
                staging.put(source.slice(source.position(), length));
                source.position(source.position() + length);
            }
            if (!staging.hasRemaining()) {
                drain();
            }
        }
    }

    /** Writes what is left and forces the whole file, data and size, to disk. */
    void finish() throws IOException {
        drain();
        awaitFlush();
        out.force(true);
    }

    /** Waits for the background force, if one runs, ignoring how it ends: the file is given up. */
    void abandon() {
        try {
            flush.join();
        } catch (CompletionException ignored) {
            // The file is deleted; its force does not matter.
        }
    }

    /** Waits for the background force, if one runs; one that failed fails here. */
    private void awaitFlush() throws IOException {
        try {
            flush.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    private void drain() throws IOException {
        staging.flip();
        while (staging.hasRemaining()) {
            written += out.write(staging);
        }
        staging.clear();
        if (written - flushedMark >= flushBytes && flush.isDone()) {
            awaitFlush();   // done: only says whether it failed
            flushedMark = written;
            try {
                flush = CompletableFuture.runAsync(this::forceData, flusher);
            } catch (RejectedExecutionException closing) {
                // The preparer is closing; the force in finish() still comes before the file is trusted.
            }
        }
    }

    private void forceData() {
        try {
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
