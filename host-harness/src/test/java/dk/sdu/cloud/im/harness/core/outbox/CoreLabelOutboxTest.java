package dk.sdu.cloud.im.harness.core.outbox;

import dk.sdu.cloud.im.harness.store.DeliveryState;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.RecordedLabels;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Job labels ({@code JobUpdates.updateLabels}) through the job store and the Core outbox: recorded durably,
 * delivered once, kept while Core is away and across a restart, dropped or refused as updates are.
 */
class CoreLabelOutboxTest {
    private static final String IP = "ucloud.dk/service-ip-address";

    @TempDir
    Path dir;

    private final FakeCore core = new FakeCore();
    private final SettableClock clock = new SettableClock(Instant.ofEpochMilli(1_000_000));
    private final ManualDelayTimer timer = new ManualDelayTimer();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private JobStore store() {
        JobStore store = H2JobStore.open(dir.resolve("state/jobs"), clock);
        open.add(store);
        return store;
    }

    private CoreUpdateOutbox outbox(JobStore store) {
        CoreUpdateOutbox outbox = new CoreUpdateOutbox(store, core, timer, clock, OutboxSettings.DEFAULTS);
        open.add(outbox);
        return outbox;
    }

    @Test
    void labelsAreDeliveredOnceAfterTheUpdatesAndMarkedDelivered() {
        JobStore store = store();
        CoreUpdateOutbox outbox = outbox(store);
        store.send("a", JobUpdate.message("hello", 1));
        store.updateLabels("a", Map.of(IP, "10.96.0.10"));
        outbox.start();
        timer.fire();
        timer.fire();

        assertThat(core.delivered()).containsExactly("a:hello");
        assertThat(core.acceptedLabels).containsExactly("a:{" + IP + "=10.96.0.10}");
        RecordedLabels recorded = store.labels("a").get(0);
        assertThat(store.labelDelivery(recorded.id())).contains(DeliveryState.DELIVERED);
        assertThat(store.pendingLabels(10)).isEmpty();
    }

    @Test
    void labelsRecordedWhileCoreIsDownArriveAfterARestartAndNotTwice() {
        core.down = true;
        JobStore first = store();
        CoreUpdateOutbox before = outbox(first);
        before.start();
        first.updateLabels("a", Map.of(IP, "10.96.0.10"));
        first.updateLabels("a", Map.of(IP, "10.96.0.11"));
        before.wake();
        timer.fire();
        assertThat(core.acceptedLabels).isEmpty();
        before.close();
        first.close();
        open.clear();

        core.down = false;
        JobStore second = store();
        assertThat(second.pendingLabels(10)).extracting(RecordedLabels::labels)
                .containsExactly(Map.of(IP, "10.96.0.10"), Map.of(IP, "10.96.0.11"));
        CoreUpdateOutbox after = outbox(second);
        after.start();
        timer.fire();
        clock.advance(Duration.ofMinutes(1));
        timer.fire();

        assertThat(core.acceptedLabels).as("in the order recorded, each once")
                .containsExactly("a:{" + IP + "=10.96.0.10}", "a:{" + IP + "=10.96.0.11}");
        assertThat(second.pendingLabels(10)).isEmpty();
    }

    @Test
    void labelsOfAJobCoreDoesNotKnowAreDroppedAndRefusedOnesAreNotRetried() {
        JobStore store = store();
        CoreUpdateOutbox outbox = outbox(store);
        core.goneJobs.add("gone");
        store.updateLabels("gone", Map.of(IP, "10.96.0.12"));
        outbox.start();
        timer.fire();
        long gone = store.labels("gone").get(0).id();
        assertThat(store.labelDelivery(gone)).contains(DeliveryState.DROPPED);

        core.labelStatus = 400;
        store.updateLabels("bad", Map.of(IP, "not an address"));
        outbox.wake();
        timer.fire();
        long bad = store.labels("bad").get(0).id();
        assertThat(store.labelDelivery(bad)).contains(DeliveryState.REFUSED);

        core.labelStatus = 0;
        store.updateLabels("good", Map.of(IP, "10.96.0.13"));
        outbox.wake();
        timer.fire();
        assertThat(core.acceptedLabels).as("the refused labels do not hold up later ones")
                .containsExactly("good:{" + IP + "=10.96.0.13}");
    }

    @Test
    void aLabelCallThatFailsKeepsTheLabelsPendingAndBacksOff() {
        JobStore store = store();
        CoreUpdateOutbox outbox = outbox(store);
        core.labelStatus = 503;
        store.updateLabels("a", Map.of(IP, "10.96.0.14"));
        outbox.start();
        timer.fire();

        assertThat(store.pendingLabels(10)).hasSize(1);
        assertThat(timer.delays()).as("a back-off after the failure").contains(Duration.ofSeconds(1));

        core.labelStatus = 0;
        timer.fire();
        assertThat(core.acceptedLabels).containsExactly("a:{" + IP + "=10.96.0.14}");
        assertThat(store.pendingLabels(10)).isEmpty();
    }
}
