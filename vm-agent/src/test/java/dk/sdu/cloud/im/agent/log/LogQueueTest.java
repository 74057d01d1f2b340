package dk.sdu.cloud.im.agent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded queue of log lines, and the tee that fills it from the agent's standard error. */
class LogQueueTest {

    private static List<String> drain(LogQueue queue) {
        var all = new ArrayList<String>();
        for (var batch = queue.take(); batch.isPresent(); batch = queue.take()) {
            all.addAll(batch.get().lines());
        }
        return all;
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsThemOnce() {
        var queue = new LogQueue(3);
        for (int i = 0; i < 5; i++) {
            queue.add("line " + i);
        }
        var batch = queue.take().orElseThrow();
        assertThat(batch.lines()).containsExactly("line 2", "line 3", "line 4");
        assertThat(batch.dropped()).isEqualTo(2);
        assertThat(queue.take()).isEmpty();
    }

    @Test
    void aLongLineIsCutToTheProtocolsBound() {
        var queue = new LogQueue(3);
        queue.add("x".repeat(LogQueue.MAX_LINE_CHARS + 500));
        assertThat(queue.take().orElseThrow().lines().get(0)).hasSize(LogQueue.MAX_LINE_CHARS);
    }

    @Test
    void aBatchHoldsAtMostAFramesWorth() {
        var queue = new LogQueue(LogQueue.CAPACITY);
        for (int i = 0; i < 150; i++) {
            queue.add("line " + i);
        }
        assertThat(queue.take().orElseThrow().lines()).hasSize(LogQueue.MAX_LINES_PER_FRAME);
        assertThat(queue.take().orElseThrow().lines()).hasSize(50);
    }

    @Test
    void aBatchCanBeBoundedToTheLinesThatWaitedAtSomeMoment() {
        LogQueue queue = new LogQueue(LogQueue.CAPACITY);
        queue.add("waited 1");
        queue.add("waited 2");
        int waiting = queue.size();
        queue.add("came later");

        assertThat(queue.take(waiting).orElseThrow().lines()).containsExactly("waited 1", "waited 2");
        assertThat(queue.take(0)).as("a bound of 0 says nothing when nothing was dropped").isEmpty();
        assertThat(queue.take().orElseThrow().lines()).containsExactly("came later");
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new LogQueue(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTeePassesEverythingOnAndQueuesWholeLines() {
        var queue = new LogQueue(10);
        var original = new ByteArrayOutputStream();
        var err = new PrintStream(new LogTee(original, queue), true, StandardCharsets.UTF_8);
        err.print("[main] INFO ControlSession - connected ");
        err.println("to the IM at ws://ucloud-im:42000/api/vmagent");
        err.print("søren\r\nhalf a line");

        assertThat(original.toString(StandardCharsets.UTF_8)).isEqualTo("[main] INFO ControlSession - connected "
                + "to the IM at ws://ucloud-im:42000/api/vmagent" + System.lineSeparator() + "søren\r\nhalf a line");
        assertThat(drain(queue)).containsExactly(
                "[main] INFO ControlSession - connected to the IM at ws://ucloud-im:42000/api/vmagent", "søren");
    }

    @Test
    void aLineWithoutAnEndCostsBoundedMemory() {
        var queue = new LogQueue(10);
        var err = new PrintStream(new LogTee(new ByteArrayOutputStream(), queue), true, StandardCharsets.UTF_8);
        err.print("y".repeat(10 * LogQueue.MAX_LINE_CHARS));
        err.println();
        assertThat(drain(queue).get(0)).hasSize(LogQueue.MAX_LINE_CHARS);
    }
}
