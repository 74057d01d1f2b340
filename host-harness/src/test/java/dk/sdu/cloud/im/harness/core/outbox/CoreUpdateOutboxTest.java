package dk.sdu.cloud.im.harness.core.outbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.sdu.cloud.im.harness.store.DeliveryState;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.store.UpdateId;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox against a fake Core over a real job store (H2 files in a temporary folder); time moves only when
 * a test fires the timer.
 */
class CoreUpdateOutboxTest {
    @TempDir
    Path dir;

    private final FakeCore core = new FakeCore();
    private final SettableClock clock = new SettableClock(Instant.ofEpochMilli(1_000_000));
    private ManualDelayTimer timer = new ManualDelayTimer();
    private RecordingStore store;
    private final List<CoreUpdateOutbox> outboxes = new ArrayList<>();
    /** Each job's number of updates recorded so far. */
    private final Map<String, Integer> counts = new HashMap<>();
    /** Every update recorded, as Core would name it, in order. */
    private final List<String> recorded = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger outboxLogger = (Logger) LoggerFactory.getLogger(CoreUpdateOutbox.class);

    @BeforeEach
    void open() {
        store = new RecordingStore(H2JobStore.open(dir.resolve("state/jobs"), clock));
        log.start();
        outboxLogger.addAppender(log);
    }

    @AfterEach
    void close() {
        outboxLogger.detachAppender(log);
        outboxes.forEach(CoreUpdateOutbox::close);
        store.close();
    }

    private CoreUpdateOutbox outbox(OutboxSettings settings) {
        CoreUpdateOutbox outbox = new CoreUpdateOutbox(store, core, timer, clock, settings);
        outboxes.add(outbox);
        return outbox;
    }

    /** Records the job's next update, whose message is {@code <job>-<n>} for its n-th. */
    private String record(String job) {
        int n = counts.merge(job, 1, Integer::sum);
        String message = job + "-" + n;
        store.append(job, JobUpdate.message(message, n));
        recorded.add(job + ":" + message);
        return message;
    }

    /** Records the job's next update and wakes the outbox, as the host's update listener does. */
    private void recordAndWake(CoreUpdateOutbox outbox, String job) {
        record(job);
        outbox.wake();
    }

    private static List<String> messages(String job, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> job + "-" + n).toList();
    }

    private static List<Duration> seconds(long... values) {
        return LongStream.of(values).mapToObj(Duration::ofSeconds).toList();
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void eachJobsUpdatesArriveInOrderInBoundedBatchesAndNothingIsReadBeyondTheBound() {
        Random random = new Random(42);
        for (int i = 0; i < 72; i++) {
            record("j" + random.nextInt(6));
        }
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS.withMaxBatch(7));

        outbox.start();
        timer.fire();

        assertThat(core.delivered()).as("each update once, in the order recorded").isEqualTo(recorded);
        counts.forEach((job, n) -> assertThat(core.deliveredOf(job)).isEqualTo(messages(job, 1, n)));
        assertThat(core.updateCallSizes).as("ten full batches and the rest")
                .containsExactly(7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2);
        assertThat(store.pendingLimits).containsOnly(7);
        assertThat(store.pendingSizes).containsExactly(7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2, 0);
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.DELIVERED, 72L));
        assertThat(timer.delays()).as("no back-off").isEqualTo(seconds(0));
    }

    @Test
    void coreDownThenUpLosesNothingReordersNothingAndTheBackOffDoublesToAMinute() {
        core.down = true;
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        record("a");
        record("b");
        record("a");
        outbox.start();

        for (int round = 0; round < 9; round++) {
            timer.fire();
            recordAndWake(outbox, round % 2 == 0 ? "a" : "b");
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(timer.delays()).as("a wake does not cut a back-off short")
                .isEqualTo(seconds(0, 1, 2, 4, 8, 16, 32, 60, 60, 60));
        assertThat(core.calls()).as("one try per round, not one per update").isEqualTo(9);
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.PENDING, 12L));

        core.down = false;
        timer.fire();

        assertThat(core.delivered()).isEqualTo(recorded);
        assertThat(core.deliveredOf("a")).isEqualTo(messages("a", 1, 7));
        assertThat(timer.delays()).as("nothing left to try again").hasSize(10);
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO).singleElement().extracting(
                ILoggingEvent::getFormattedMessage).isEqualTo(
                "Job updates reach UCloud/Core again, after 270 s of failed deliveries");

        recordAndWake(outbox, "b");
        assertThat(timer.delays()).as("woken: a round now").hasSize(11).last().isEqualTo(Duration.ZERO);
        core.down = true;
        timer.fire();
        assertThat(timer.delays()).as("the back-off starts over").last().isEqualTo(Duration.ofSeconds(1));
        core.down = false;
        timer.fire();
        assertThat(core.delivered()).isEqualTo(recorded);
    }

    @Test
    void updatesRecordedWhileCoreIsDownAreAllDeliveredInOrderAfterARestart() {
        core.down = true;
        CoreUpdateOutbox before = outbox(OutboxSettings.DEFAULTS.withMaxBatch(4));
        before.start();
        for (int i = 0; i < 30; i++) {
            recordAndWake(before, List.of("a", "b", "c").get(i % 3 == 0 ? 0 : i % 2 + 1));
            timer.fire();
        }
        assertThat(core.delivered()).isEmpty();
        before.close();
        store.close();

        store = new RecordingStore(H2JobStore.open(dir.resolve("state/jobs"), clock));
        timer = new ManualDelayTimer();
        core.down = false;
        outbox(OutboxSettings.DEFAULTS.withMaxBatch(4)).start();
        timer.fire();

        assertThat(core.delivered()).as("every update, once, in the order recorded").isEqualTo(recorded);
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.DELIVERED, 30L));
    }

    @Test
    void aCrashBetweenCoresAcceptanceAndTheMarkSendsTheBatchAgainInOrder() {
        for (String job : List.of("a", "b", "a", "b", "a", "b")) {
            record(job);
        }
        // The second call is accepted, then the IM dies before the store records that.
        core.afterAccept = () -> {
            if (core.accepted.size() == 2) {
                store.close();
            }
        };
        CoreUpdateOutbox before = outbox(OutboxSettings.DEFAULTS.withMaxBatch(4));
        before.start();
        timer.fire();
        before.close();

        core.afterAccept = () -> { };
        store = new RecordingStore(H2JobStore.open(dir.resolve("state/jobs"), clock));
        timer = new ManualDelayTimer();
        outbox(OutboxSettings.DEFAULTS.withMaxBatch(4)).start();
        timer.fire();

        assertThat(core.accepted).as("at least once: the unmarked batch again, nothing out of order").containsExactly(
                List.of("a:a-1", "b:b-1", "a:a-2", "b:b-2"),
                List.of("a:a-3", "b:b-3"),
                List.of("a:a-3", "b:b-3"));
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.DELIVERED, 6L));
    }

    @Test
    void theUpdatesOfAJobCoreSaysIsGoneAreDroppedAndTheOthersDelivered() {
        core.goneJobs.add("g");
        for (String job : List.of("a", "g", "b", "g", "a")) {
            record(job);
        }
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        outbox.start();
        timer.fire();

        assertThat(core.existenceCalls).containsExactly(List.of("a", "g", "b"));
        assertThat(core.accepted).containsExactly(List.of("a:a-1", "b:b-1", "a:a-2"));
        assertThat(store.delivery(new UpdateId("g", 1))).contains(DeliveryState.DROPPED);
        assertThat(store.delivery(new UpdateId("g", 2))).contains(DeliveryState.DROPPED);
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.DELIVERED, 3L, DeliveryState.DROPPED, 2L));

        recordAndWake(outbox, "g");
        recordAndWake(outbox, "c");
        timer.fire();

        assertThat(store.delivery(new UpdateId("g", 3))).contains(DeliveryState.DROPPED);
        assertThat(core.deliveredOf("c")).containsExactly("c-1");
        assertThat(warnings()).as("logged once per job").singleElement().asString()
                .startsWith("Job g: UCloud/Core says it does not exist (Not found or permission denied (g))");
        assertThat(timer.delays()).as("no back-off").isEqualTo(seconds(0, 0));
    }

    @Test
    void whenAskingWhetherJobsExistFailsNothingIsDroppedAndItIsTriedAgainLater() {
        core.goneJobs.add("g");
        core.existenceDown = true;
        record("g");
        record("a");
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        outbox.start();
        timer.fire();

        assertThat(core.existenceCalls).hasSize(1);
        assertThat(core.delivered()).isEmpty();
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.PENDING, 2L));
        assertThat(timer.delays()).isEqualTo(seconds(0, 1));

        core.existenceDown = false;
        timer.fire();

        assertThat(core.delivered()).containsExactly("a:a-1");
        assertThat(store.delivery(new UpdateId("g", 1))).contains(DeliveryState.DROPPED);
    }

    @Test
    void aRefusedUpdateIsKeptAsRefusedAndDoesNotHoldUpItsJobsLaterUpdates() {
        core.refusedMessages.add("a-2");
        for (String job : List.of("a", "b", "a", "a", "b")) {
            record(job);
        }
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        outbox.start();
        timer.fire();

        assertThat(core.updateCallSizes).as("the batch, then one at a time").containsExactly(5, 1, 1, 1, 1, 1);
        assertThat(core.accepted).containsExactly(List.of("a:a-1"), List.of("b:b-1"), List.of("a:a-3"),
                List.of("b:b-2"));
        assertThat(store.delivery(new UpdateId("a", 2))).contains(DeliveryState.REFUSED);
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.DELIVERED, 4L, DeliveryState.REFUSED, 1L));
        assertThat(warnings()).singleElement().asString().startsWith("Job a: UCloud/Core refused update #2")
                .contains("with 400: bad update: a-2; it is kept in the job store as refused and not sent again");
        assertThat(timer.delays()).as("never retried").isEqualTo(seconds(0));

        recordAndWake(outbox, "a");
        recordAndWake(outbox, "b");
        timer.fire();
        assertThat(core.accepted).last().isEqualTo(List.of("a:a-4", "b:b-3"));
    }

    @Test
    void aJobCoreAnswers404ForButSaysExistsIsHeldBackWithItsLaterUpdatesAndTheOthersGoOn() {
        core.inaccessibleJobs.add("x");
        for (String job : List.of("x", "y", "x", "z")) {
            record(job);
        }
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS.withMaxBatch(3));
        outbox.start();
        timer.fire();

        assertThat(core.existenceCalls).as("for the batch, then for x's first update alone")
                .containsExactly(List.of("x", "y"), List.of("x"));
        assertThat(core.accepted).as("not x's second update before its first; the next batch without x")
                .containsExactly(List.of("y:y-1"), List.of("z:z-1"));
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.PENDING, 2L, DeliveryState.DELIVERED, 2L));
        assertThat(timer.delays()).as("x is tried again later").isEqualTo(seconds(0, 1));

        core.inaccessibleJobs.clear();
        timer.fire();

        assertThat(core.accepted).last().isEqualTo(List.of("x:x-1", "x:x-2"));
        assertThat(timer.delays()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 408, 429, 500, 502, 503})
    void anUpdateCoreCannotTakeNowIsTriedAgainLater(int status) {
        core.updateStatus = status;
        record("a");
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        outbox.start();
        timer.fire();
        timer.fire();

        assertThat(store.delivery(new UpdateId("a", 1))).contains(DeliveryState.PENDING);
        assertThat(timer.delays()).isEqualTo(seconds(0, 1, 2));
        assertThat(warnings()).as("once, not per try").singleElement().asString()
                .contains("answered " + status).contains("they stay pending in the job store");

        core.updateStatus = 0;
        timer.fire();
        assertThat(store.delivery(new UpdateId("a", 1))).contains(DeliveryState.DELIVERED);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 409, 413, 422})
    void anUpdateCoreRefusesIsMarkedRefusedAndNotTriedAgain(int status) {
        core.updateStatus = status;
        record("a");
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        outbox.start();
        timer.fire();

        assertThat(store.delivery(new UpdateId("a", 1))).contains(DeliveryState.REFUSED);
        assertThat(core.updateCallSizes).containsExactly(1);
        assertThat(timer.delays()).isEqualTo(seconds(0));
    }

    @Test
    void aWakeBeforeTheStartDoesNothingAndWakesWhileARoundWaitsMakeOneRound() {
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        recordAndWake(outbox, "a");
        assertThat(timer.delays()).isEmpty();

        outbox.start();
        outbox.start();
        recordAndWake(outbox, "a");
        recordAndWake(outbox, "b");
        assertThat(timer.delays()).isEqualTo(seconds(0));

        timer.fire();
        assertThat(core.accepted).containsExactly(List.of("a:a-1", "a:a-2", "b:b-1"));
    }

    @Test
    void anUpdateRecordedWhileARoundRunsIsDelivered() {
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS.withMaxBatch(1));
        record("a");
        core.afterAccept = () -> {
            if (core.accepted.size() == 1) {
                recordAndWake(outbox, "a");
            }
        };
        outbox.start();
        timer.fire();
        timer.fire();

        assertThat(core.deliveredOf("a")).containsExactly("a-1", "a-2");
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.DELIVERED, 2L));
    }

    @Test
    void closeStopsTheDeliveriesAndLeavesWhatIsPendingPending() {
        core.down = true;
        CoreUpdateOutbox outbox = outbox(OutboxSettings.DEFAULTS);
        record("a");
        outbox.start();
        timer.fire();
        assertThat(timer.delays()).isEqualTo(seconds(0, 1));

        outbox.close();
        outbox.close();
        core.down = false;
        timer.fire();
        recordAndWake(outbox, "a");
        outbox.start();

        assertThat(core.calls()).as("only the try before the close").isEqualTo(1);
        assertThat(timer.delays()).isEqualTo(seconds(0, 1));
        assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.PENDING, 2L));
    }
}
