package dk.sdu.cloud.im.simulator.vnc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteQueueTest {

    @Test
    void anOfferBeyondTheCapacityIsRefusedAndNothingOfItIsKept() throws IOException {
        ByteQueue queue = new ByteQueue(8);

        assertThat(queue.offer(new byte[] {1, 2, 3, 4, 5})).isTrue();
        assertThat(queue.offer(new byte[] {6, 7, 8, 9})).isFalse();
        assertThat(queue.available()).isEqualTo(5);

        byte[] read = new byte[16];
        assertThat(queue.read(read, 0, 16)).isEqualTo(5);
        assertThat(queue.offer(new byte[] {6, 7, 8, 9, 10, 11, 12, 13})).isTrue();
    }

    @Test
    void readsCrossChunksInOrder() throws IOException {
        ByteQueue queue = new ByteQueue(64);
        queue.offer(new byte[] {1, 2, 3});
        queue.offer(new byte[] {4, 5});

        byte[] read = new byte[4];
        assertThat(queue.read(read, 0, 4)).isEqualTo(4);
        assertThat(read).containsExactly(1, 2, 3, 4);
        assertThat(queue.read()).isEqualTo(5);
    }

    @Test
    void closingEndsTheStreamAfterWhatWasOffered() throws IOException {
        ByteQueue queue = new ByteQueue(64);
        queue.offer(new byte[] {7});
        queue.close();

        assertThat(queue.offer(new byte[] {8})).isFalse();
        assertThat(queue.read()).isEqualTo(7);
        assertThat(queue.read()).isEqualTo(-1);
    }

    @Test
    void aTimedReadGivesUp() {
        ByteQueue queue = new ByteQueue(64);

        assertThatThrownBy(() -> queue.read(new byte[1], 0, 1, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(IOException.class).hasMessageContaining("nothing to read");
    }
}
