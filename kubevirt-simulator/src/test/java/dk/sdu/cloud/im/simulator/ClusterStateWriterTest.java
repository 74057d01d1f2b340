package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.simulator.ClusterStateFile.StoredObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The state writer: changes are written off the caller's thread, several together, and a failure is retried. */
class ClusterStateWriterTest {

    private static final StoredObject PV = new StoredObject("persistentvolumes",
            "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv-1\"}}");

    @TempDir
    Path folder;

    @Test
    void changesMadeDuringAWriteAreWrittenTogetherByTheNextOne() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        AtomicInteger snapshots = new AtomicInteger();
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        try (ClusterStateWriter writer = new ClusterStateWriter(file, () -> {
            if (snapshots.incrementAndGet() == 1) {
                writing.countDown();
                await(mayFinish);                   // the first write is slow: the disk is busy
            }
            return List.of(PV);
        }, Duration.ZERO)) {
            writer.start();
            writer.changed();
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                writer.changed();                   // returns at once although a write is under way
            }
            mayFinish.countDown();
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(snapshots).hasValue(2);
        assertThat(file.read()).contains(List.of(PV));
    }

    @Test
    void aFailedWriteKeepsThePreviousStateAndTheNextChangeTriesAgain() throws Exception {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        file.write(List.of());
        AtomicInteger snapshots = new AtomicInteger();
        try (ClusterStateWriter writer = new ClusterStateWriter(file, () -> {
            if (snapshots.incrementAndGet() == 1) {
                throw new IllegalStateException("the store could not be read");
            }
            return List.of(PV);
        }, Duration.ZERO)) {
            writer.start();
            writer.changed();
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();       // given up on, not hanging
            assertThat(file.read()).contains(List.of());                     // the previous state stays

            writer.changed();
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(snapshots).hasValue(2);
        assertThat(file.read()).contains(List.of(PV));
    }

    @Test
    void closingWritesWhatIsLeft() {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        ClusterStateWriter writer = new ClusterStateWriter(file, () -> List.of(PV), Duration.ZERO);
        writer.start();
        writer.changed();
        writer.close();
        assertThat(file.read()).contains(List.of(PV));
    }

    /**
     * A busy store changes all the time, and each write copies and writes every object: a thousand changes
     * within the pause are one write (two, when the first change was written before the others came), and a
     * flush does not wait for the pause.
     */
    @Test
    void changesWithinThePauseAreOneWriteAndAFlushDoesNotWaitForThePause() throws Exception {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        AtomicInteger snapshots = new AtomicInteger();
        try (ClusterStateWriter writer = new ClusterStateWriter(file, () -> {
            snapshots.incrementAndGet();
            return List.of(PV);
        }, Duration.ofHours(1))) {
            writer.start();
            for (int i = 0; i < 1000; i++) {
                writer.changed();
            }
            assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(snapshots.get()).isBetween(1, 2);

            int before = snapshots.get();
            writer.changed();                       // within the pause after the last write
            assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(snapshots).hasValue(before + 1);
        }
        assertThat(file.read()).contains(List.of(PV));
    }

    @Test
    void closingDoesNotWaitForThePause() {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        AtomicInteger snapshots = new AtomicInteger();
        ClusterStateWriter writer = new ClusterStateWriter(file, () -> {
            snapshots.incrementAndGet();
            return List.of(PV);
        }, Duration.ofHours(1));
        writer.start();
        writer.changed();
        writer.changed();
        long started = System.nanoTime();
        writer.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(snapshots.get()).isBetween(1, 2);
        assertThat(file.read()).contains(List.of(PV));
    }

    @Test
    void aNegativePauseIsRejected() {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new ClusterStateWriter(file, List::of, Duration.ofSeconds(-1)));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
