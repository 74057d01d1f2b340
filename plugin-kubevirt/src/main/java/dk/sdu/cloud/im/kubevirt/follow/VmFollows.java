package dk.sdu.cloud.im.kubevirt.follow;

import dk.sdu.cloud.im.kubevirt.agent.GuestLogs;
import dk.sdu.cloud.im.kubevirt.metrics.GuestMetricsFeed;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Opens a VM job's follow stream: the guest agent's log lines (plain {@code stdout} of rank 0) and the guest's
 * metrics ({@link GuestMetricsFeed}: UCloud's {@code ui}, {@code utilization-data}, {@code utilization-data-reset}
 * and {@code kv} channels), until the job ends ({@link JobEnds}). A job whose VM does not run yet is followed all
 * the same: its lines and samples come once its guest is up, as UCloud's follow waits for a running job.
 */
public final class VmFollows {
    private static final Logger LOG = LoggerFactory.getLogger(VmFollows.class);

    private final GuestLogs logs;
    private final GuestMetricsFeed metrics;
    private final JobEnds ends;

    public VmFollows(GuestLogs logs, GuestMetricsFeed metrics, JobEnds ends) {
        this.logs = requireNonNull(logs, "logs is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.ends = requireNonNull(ends, "ends is null");
    }

    /**
     * Follows a job's only machine (rank 0).
     *
     * @param workFolder the job's {@code /work} on the provider file system, where its metrics service writes
     */
    public FollowSession follow(String jobId, Path workFolder, FollowOutput output) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(workFolder, "workFolder is null");
        requireNonNull(output, "output is null");
        Follower follower = new Follower(output);
        // The end first: a job that ends while the rest opens still ends its stream.
        follower.hold(ends.listen(jobId, follower::ended));
        follower.hold(logs.follow(jobId, line -> follower.message(FollowMessage.stdout(0, line))));
        follower.hold(metrics.follow(workFolder, 0, follower::message));
        return follower;
    }

    /** One follower: what it watches, closed once, whether the follower left or the job ended. */
    private static final class Follower implements FollowSession {
        private final FollowOutput output;
        private final List<AutoCloseable> watches = new ArrayList<>();   // guarded by this
        private boolean over;                                            // guarded by this

        Follower(FollowOutput output) {
            this.output = output;
        }

        void hold(AutoCloseable watch) {
            boolean closeNow;
            synchronized (this) {
                closeNow = over;
                if (!over) {
                    watches.add(watch);
                }
            }
            if (closeNow) {
                closeQuietly(watch);
            }
        }

        void message(FollowMessage message) {
            synchronized (this) {
                if (over) {
                    return;
                }
            }
            output.message(message);
        }

        void ended(String reason) {
            if (stop()) {
                output.ended(reason);
            }
        }

        @Override
        public void close() {
            stop();
        }

        /** Stops watching; false when it had stopped already. */
        private boolean stop() {
            List<AutoCloseable> toClose;
            synchronized (this) {
                if (over) {
                    return false;
                }
                over = true;
                toClose = List.copyOf(watches);
                watches.clear();
            }
            toClose.forEach(Follower::closeQuietly);
            return true;
        }

        private static void closeQuietly(AutoCloseable watch) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.warn("Stopping a follow watch failed: {}", e.toString());
            }
        }
    }
}
