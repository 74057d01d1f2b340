package dk.sdu.cloud.im.agent.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The agent's log lines not yet sent to the IM. Holds at most its capacity: when it is full, the oldest line goes
 * and is counted, so an IM that is away for long costs a bounded amount of memory, and learns how much it missed.
 * Lines longer than {@link #MAX_LINE_CHARS} are cut. Safe to use from many threads.
 */
public final class LogQueue {
    /** How many lines wait at most, by default: about what the IM keeps of a job. */
    public static final int CAPACITY = 500;
    /** The longest line sent (the IM refuses longer ones; docs/agent-protocol.md). */
    public static final int MAX_LINE_CHARS = 2000;
    /** The most lines of one {@code log} frame (the IM refuses more; docs/agent-protocol.md). */
    public static final int MAX_LINES_PER_FRAME = 100;

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();   // guarded by this
    private long dropped;                                      // guarded by this

    /** @param capacity the most lines held, at least 1 */
    public LogQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Some lines taken from the queue, for one frame.
     *
     * @param lines   at most {@link #MAX_LINES_PER_FRAME} lines, oldest first
     * @param dropped how many lines were dropped (the queue was full) before these
     */
    public record Batch(List<String> lines, long dropped) {
        public Batch {
            lines = List.copyOf(lines);
        }
    }

    /** Adds a line (cut at {@link #MAX_LINE_CHARS}); drops the oldest when full. */
    public synchronized void add(String line) {
        String bounded = line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS);
        if (lines.size() == capacity) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(bounded);
    }

    /** The oldest lines, up to a frame's worth; empty when there is nothing to send. */
    public synchronized Optional<Batch> take() {
        return take(MAX_LINES_PER_FRAME);
    }

    /**
     * The oldest lines, at most {@code limit} and a frame's worth, with the count of lines dropped so far; empty
     * when that would say nothing.
     */
    public synchronized Optional<Batch> take(int limit) {
        int most = Math.min(Math.max(limit, 0), MAX_LINES_PER_FRAME);
        if ((lines.isEmpty() || most == 0) && dropped == 0) {
            return Optional.empty();
        }
        List<String> taken = new ArrayList<>(Math.min(lines.size(), most));
        while (!lines.isEmpty() && taken.size() < most) {
            taken.add(lines.removeFirst());
        }
        Batch batch = new Batch(taken, dropped);
        dropped = 0;
        return Optional.of(batch);
    }

    /** How many lines wait. */
    public synchronized int size() {
        return lines.size();
    }
}
