package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Large pieces, every byte in its place, background forces at their step and never more than one at a time. */
class StagedFileWriterTest {
    @TempDir
    Path folder;

    /** Runs nothing until told: the test sees what was started. */
    private static final class HeldTasks implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }
    }

    private FileChannel open(Path file) throws Exception {
        return FileChannel.open(Files.createFile(file), StandardOpenOption.WRITE);
    }

    @Test
    void buffersOfAnySizeEndUpInOrderAcrossPieceBoundaries() throws Exception {
        Path file = folder.resolve("image");
        byte[] content = TestImages.pattern(1000, 7);
        try (FileChannel out = open(file)) {
            StagedFileWriter writer = new StagedFileWriter(out, Runnable::run, 64, 1L << 30);
            int at = 0;
            for (int size : new int[]{1, 63, 64, 65, 200, 7, 600}) {
                ByteBuffer buffer = ByteBuffer.wrap(content, at, size);
                writer.write(buffer);
                assertThat(buffer.hasRemaining()).as("all of it taken").isFalse();
                at += size;
            }
            assertThat(at).isEqualTo(content.length);
            assertThat(Files.size(file)).as("whole pieces only until finish").isEqualTo(960);
            writer.finish();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aBackgroundForceStartsAtEachStepWhileNoneRuns() throws Exception {
        HeldTasks flusher = new HeldTasks();
        try (FileChannel out = open(folder.resolve("image"))) {
            StagedFileWriter writer = new StagedFileWriter(out, flusher, 10, 30);
            writer.write(ByteBuffer.wrap(new byte[20]));
            assertThat(flusher.tasks).as("20 of 30 bytes").isEmpty();
            writer.write(ByteBuffer.wrap(new byte[10]));
            assertThat(flusher.tasks).as("30 bytes written").hasSize(1);
            writer.write(ByteBuffer.wrap(new byte[40]));
            assertThat(flusher.tasks).as("the first still runs").hasSize(1);

            flusher.tasks.get(0).run();
            writer.write(ByteBuffer.wrap(new byte[10]));
            assertThat(flusher.tasks).as("80 bytes, 50 since the first force started").hasSize(2);
            flusher.tasks.get(1).run();
            writer.finish();
        }
    }

    @Test
    void aFlusherThatTakesNoMoreWorkLeavesTheForceToFinish() throws Exception {
        Path file = folder.resolve("image");
        Executor closing = task -> {
            throw new RejectedExecutionException("closing");
        };
        try (FileChannel out = open(file)) {
            StagedFileWriter writer = new StagedFileWriter(out, closing, 10, 10);
            writer.write(ByteBuffer.wrap(new byte[35]));
            writer.finish();
        }
        assertThat(Files.size(file)).isEqualTo(35);
    }
}
