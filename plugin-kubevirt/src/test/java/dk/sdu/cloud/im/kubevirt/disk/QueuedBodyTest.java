package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-over of a response body: demand bounds what waits, the end and failures reach the reader. */
class QueuedBodyTest {
    private static final int AHEAD = 16;

    /** A subscription that counts what was asked of it. */
    private static final class Demand implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public synchronized void request(long n) {
            requested += n;
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
        }
    }

    private static List<ByteBuffer> bytes(int... values) {
        byte[] array = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            array[i] = (byte) values[i];
        }
        return List.of(ByteBuffer.wrap(array));
    }

    @Test
    void theClientMayDeliverAheadOnlyAsMuchAsTheReaderHasUsed() throws Exception {
        QueuedBody body = new QueuedBody(1, AHEAD);
        Demand demand = new Demand();
        body.onSubscribe(demand);
        assertThat(demand.requested).isEqualTo(AHEAD);

        body.onNext(bytes(1, 2));
        body.onNext(bytes(3));
        assertThat(demand.requested).as("nothing more until the reader used something").isEqualTo(AHEAD);

        List<ByteBuffer> taken = body.take();
        assertThat(taken).as("all that waits, in order").hasSize(2);
        assertThat(taken.get(0).array()).containsExactly(1, 2);
        assertThat(taken.get(1).array()).containsExactly(3);
        assertThat(demand.requested).as("not before they are used").isEqualTo(AHEAD);
        body.consumed();
        assertThat(demand.requested).as("one more per delivery used").isEqualTo(AHEAD + 2);
        body.consumed();
        assertThat(demand.requested).as("a second consumed() asks for nothing").isEqualTo(AHEAD + 2);
    }

    @Test
    void theReaderIsHandedABatchOnlyOnceEnoughBytesWait() throws Exception {
        QueuedBody body = new QueuedBody(4, AHEAD);
        body.onSubscribe(new Demand());

        body.onNext(bytes(1, 2));
        body.onNext(bytes(3));
        assertThat(body.ready()).as("3 of 4 bytes").isFalse();
        assertThat(body.arrived()).as("the watchdog sees them arrive all the same").isEqualTo(3);
        body.onNext(bytes(4));

        assertThat(body.ready()).isTrue();
        assertThat(body.take()).hasSize(3);
        assertThat(body.ready()).isFalse();
    }

    @Test
    void fewerBytesThanABatchAreHandedOverAllTheSame() throws Exception {
        QueuedBody body = new QueuedBody(1 << 20, AHEAD);
        body.onSubscribe(new Demand());
        body.onNext(bytes(5));

        // No end, no more bytes: the reader still gets them (after at most LINGER_MILLIS).
        CompletableFuture<List<ByteBuffer>> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return body.take();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(taken.get(30, TimeUnit.SECONDS)).singleElement().satisfies(b -> assertThat(b.array()).containsExactly(5));
    }

    @Test
    void manySmallDeliveriesWakeTheReaderBeforeTheClientRunsOutOfDemand() throws Exception {
        QueuedBody body = new QueuedBody(Long.MAX_VALUE, AHEAD);
        body.onSubscribe(new Demand());

        for (int i = 1; i < AHEAD / 2; i++) {
            body.onNext(bytes(i));
        }
        assertThat(body.ready()).isFalse();
        body.onNext(bytes(0));

        assertThat(body.ready()).as("half of the deliveries asked for wait").isTrue();
        assertThat(body.take()).hasSize(AHEAD / 2);
    }

    @Test
    void theEndHandsOverWhatIsLeftHoweverLittle() throws Exception {
        QueuedBody body = new QueuedBody();
        body.onSubscribe(new Demand());
        body.onNext(bytes(9));
        assertThat(body.ready()).isFalse();

        body.onComplete();

        assertThat(body.take().get(0).array()).containsExactly(9);
        assertThat(body.take()).as("the end").isEmpty();
    }

    @Test
    void anEmptyDeliveryIsNotHandedOverButCountsAsUsed() throws Exception {
        QueuedBody body = new QueuedBody(1, AHEAD);
        Demand demand = new Demand();
        body.onSubscribe(demand);

        body.onNext(List.of());
        body.onNext(bytes(7));
        body.onComplete();

        assertThat(demand.requested).isEqualTo(AHEAD + 1);
        assertThat(body.take().get(0).array()).containsExactly(7);
        assertThat(body.take()).as("the end").isEmpty();
    }

    @Test
    void theEndIsSeenByEveryTakeAfterIt() throws Exception {
        QueuedBody body = new QueuedBody();
        body.onSubscribe(new Demand());
        body.onComplete();

        assertThat(body.take()).isEmpty();
        assertThat(body.take()).isEmpty();
    }

    @Test
    void theClientsErrorFailsTheReaderAfterWhatCameBeforeIt() throws Exception {
        QueuedBody body = new QueuedBody();
        body.onSubscribe(new Demand());
        body.onNext(bytes(1));
        body.onError(new IOException("fixed content-length: 10, bytes received: 1"));

        assertThat(body.take().get(0).array()).containsExactly(1);
        assertThatThrownBy(body::take).isInstanceOf(IOException.class).hasMessageContaining("bytes received: 1");
    }

    @Test
    void anAbortWakesAWaitingReaderAndCancelsTheSubscription() throws Exception {
        QueuedBody body = new QueuedBody();
        Demand demand = new Demand();
        body.onSubscribe(demand);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                body.take();
                return null;
            } catch (Exception e) {
                return e;
            }
        });

        body.abort(new IOException("no data arrived"));

        assertThat(reader.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessage("no data arrived");
        assertThat(demand.cancelled).isTrue();
    }

    @Test
    void afterAnAbortNothingIsHandedOverNotEvenWhatWaitedOrCameLate() {
        QueuedBody body = new QueuedBody(1, AHEAD);
        body.onSubscribe(new Demand());
        body.onNext(bytes(1));

        body.abort(new IOException("cancelled"));
        body.onNext(bytes(2));

        assertThatThrownBy(body::take).isInstanceOf(IOException.class).hasMessage("cancelled");
        assertThat(body.arrived()).as("what came late is dropped").isEqualTo(1);
    }

    @Test
    void anAbortBeforeTheSubscriptionCancelsItWhenItComes() {
        QueuedBody body = new QueuedBody();
        body.abort(new IOException("a redirect's body is not read"));
        Demand demand = new Demand();

        body.onSubscribe(demand);

        assertThat(demand.cancelled).isTrue();
        assertThat(demand.requested).isZero();
    }

    @Test
    void theClientMayReadAheadAboutEightMiBWhateverItsBufferSize() {
        assertThat(QueuedBody.deliveriesAhead(16 * 1024)).isEqualTo(512);
        assertThat(QueuedBody.deliveriesAhead(256 * 1024)).isEqualTo(32);
        assertThat(QueuedBody.deliveriesAhead(4 << 20)).as("never fewer than 16").isEqualTo(16);
        assertThat(new QueuedBody().ahead()).isEqualTo(QueuedBody.deliveriesAhead(QueuedBody.clientBufferBytes()));
    }

    @Test
    void theBodyIsThereAsSoonAsTheHeadersAre() {
        QueuedBody body = new QueuedBody();
        assertThat(body.getBody().toCompletableFuture().getNow(null)).isSameAs(body);
    }
}
