package dk.sdu.cloud.im.agent.metrics;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.time.Scheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics service: a new ring at start, a sample every {@code interval}, the summary at start and every
 * {@code summaryInterval}. A write that fails (the work folder gone, the disk full) ends the service with status 1,
 * and systemd starts it again, with a new ring.
 */
public final class MetricsService {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsService.class);

    private final MetricsSampler sampler;
    private final SummaryCollector summary;
    private final Path folder;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Duration summaryInterval;
    private final LongSupplier ringIds;
    private final IntConsumer exit;
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();
    private RingWriter ring;

    /**
     * @param folder  the metrics folder ({@link MetricsFormat#FOLDER} in the work folder)
     * @param ringIds a new random id for each ring
     * @param exit    told the exit status when the service must end
     */
    public MetricsService(MetricsSampler sampler, SummaryCollector summary, Path folder, Scheduler scheduler,
                          Duration interval, Duration summaryInterval, LongSupplier ringIds, IntConsumer exit) {
        this.sampler = requireNonNull(sampler, "sampler is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.folder = requireNonNull(folder, "folder is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.summaryInterval = requireNonNull(summaryInterval, "summaryInterval is null");
        this.ringIds = requireNonNull(ringIds, "ringIds is null");
        this.exit = requireNonNull(exit, "exit is null");
        if (interval.isNegative() || interval.isZero() || summaryInterval.isNegative() || summaryInterval.isZero()) {
            throw new IllegalArgumentException("intervals must be positive");
        }
    }

    /** Makes a new ring, writes the summary and the first sample, and schedules the rest. */
    public synchronized void start() throws IOException {
        ring = RingWriter.create(folder, MetricsFormat.SLOTS, MetricsFormat.COLUMNS, ringIds.getAsLong(),
                scheduler.now());
        LOG.info("metrics: a sample every {} ms into {}", interval.toMillis(), folder.resolve(MetricsFormat.RING_FILE));
        writeSummary();
        sample();
        timers.add(scheduler.scheduleRepeating(interval, this::sample));
        timers.add(scheduler.scheduleRepeating(summaryInterval, this::writeSummary));
    }

    /** Stops sampling; the files stay. */
    public synchronized void stop() {
        timers.forEach(Scheduler.Cancellable::cancel);
        timers.clear();
        try {
            if (ring != null) {
                ring.close();
            }
        } catch (IOException e) {
            LOG.debug("metrics: closing the ring", e);
        }
    }

    private synchronized void sample() {
        try {
            ring.append(sampler.sample(scheduler.now()));
        } catch (IOException | RuntimeException e) {
            fail("cannot sample or write a sample", e);
        }
    }

    private synchronized void writeSummary() {
        try {
            SummaryWriter.write(folder, SummaryCollector.text(summary.collect()));
        } catch (IOException e) {
            fail("cannot write the summary", e);
        }
    }

    private void fail(String what, Exception e) {
        LOG.error("metrics: {}: {}; exiting so that the service starts again", what, e.toString());
        stop();
        exit.accept(1);
    }
}
