package dk.sdu.cloud.im.kubevirt.follow;

import dk.sdu.cloud.im.kubevirt.agent.GuestLogs;
import dk.sdu.cloud.im.kubevirt.metrics.GuestMetricsFeed;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A VM job's follow stream: agent log lines and metrics to the output, until the job ends or the follower goes. */
class VmFollowsTest {
    private static final Path WORK = Path.of("jobs", "4242", "work");

    private final Logs logs = new Logs();
    private final Feed feed = new Feed();
    private final RecordingJobUpdates updates = new RecordingJobUpdates();
    private final JobEnds ends = new JobEnds(updates);
    private final VmFollows follows = new VmFollows(logs, feed, ends);
    private final Output output = new Output();

    @Test
    void logLinesAreStdoutOfRankZeroAndSamplesKeepTheirChannel() {
        follows.follow("4242", WORK, output);

        logs.line("4242", "connected to the IM");
        feed.sinks.get(WORK).accept(FollowMessage.onChannel(0, "utilization-data", "{\"cpu\":0.5}"));

        assertThat(output.messages).containsExactly(FollowMessage.stdout(0, "connected to the IM"),
                FollowMessage.onChannel(0, "utilization-data", "{\"cpu\":0.5}"));
    }

    @Test
    void aFinalStateSentForTheJobEndsTheStreamOnceAndStopsItsWatches() {
        follows.follow("4242", WORK, output);

        ends.send("4242", JobUpdate.state(JobState.RUNNING, null, 1));
        assertThat(output.ended).isEmpty();
        ends.send("4242", JobUpdate.state(JobState.SUCCESS, null, 2));
        ends.send("4242", JobUpdate.state(JobState.FAILURE, null, 3));

        assertThat(output.ended).containsExactly("the job ended (SUCCESS)");
        assertThat(updates.statesOf("4242")).as("every update still reaches the host")
                .containsExactly(JobState.RUNNING, JobState.SUCCESS, JobState.FAILURE);
        assertThat(logs.followers.get("4242")).isEmpty();
        assertThat(feed.closed).containsExactly(WORK);
        logs.line("4242", "too late");
        assertThat(output.messages).isEmpty();
    }

    @Test
    void anotherJobsEndEndsNothingHere() {
        follows.follow("4242", WORK, output);
        ends.ended("4343", "the job was terminated");
        assertThat(output.ended).isEmpty();
    }

    @Test
    void aFollowerThatGoesStopsTheWatchesAndHearsNoEnd() {
        FollowSession session = follows.follow("4242", WORK, output);
        session.close();
        session.close();

        assertThat(logs.followers.get("4242")).isEmpty();
        assertThat(feed.closed).containsExactly(WORK);
        ends.ended("4242", "the job was terminated");
        assertThat(output.ended).isEmpty();
    }

    /** Agent log lines the test sends by hand. */
    private static final class Logs implements GuestLogs {
        final Map<String, List<Consumer<String>>> followers = new ConcurrentHashMap<>();

        @Override
        public AutoCloseable follow(String jobId, Consumer<String> lines) {
            followers.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(lines);
            return () -> followers.get(jobId).remove(lines);
        }

        void line(String jobId, String line) {
            followers.getOrDefault(jobId, List.of()).forEach(follower -> follower.accept(line));
        }
    }

    /** A metrics feed whose sinks the test holds. */
    private static final class Feed implements GuestMetricsFeed {
        final Map<Path, Consumer<FollowMessage>> sinks = new ConcurrentHashMap<>();
        final List<Path> closed = new CopyOnWriteArrayList<>();

        @Override
        public AutoCloseable follow(Path workFolder, int rank, Consumer<FollowMessage> sink) {
            sinks.put(workFolder, sink);
            return () -> closed.add(workFolder);
        }
    }

    private static final class Output implements FollowOutput {
        final List<FollowMessage> messages = new CopyOnWriteArrayList<>();
        final List<String> ended = new CopyOnWriteArrayList<>();

        @Override
        public void message(FollowMessage message) {
            messages.add(message);
        }

        @Override
        public void ended(String reason) {
            ended.add(reason);
        }
    }
}
