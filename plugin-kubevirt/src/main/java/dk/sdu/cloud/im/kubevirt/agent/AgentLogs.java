package dk.sdu.cloud.im.kubevirt.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The recent agent log lines of each job ({@link #RECENT_LINES} at most: older ones are dropped) and the job's
 * followers, to whom each new line goes. Each job has its own lock, so one job's followers never hold up
 * another's; a follower gets its lines in order, the recent ones first.
 */
final class AgentLogs implements GuestLogs {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLogs.class);
    /** Lines kept per job for a follower that comes later. */
    static final int RECENT_LINES = 200;

    private final Map<String, JobLog> jobs = new ConcurrentHashMap<>();

    /**
     * A job's agent sent lines.
     *
     * @param dropped lines the agent had to drop before these (its own queue overflowed); a notice line says so
     */
    void append(String jobId, List<String> lines, long dropped) {
        requireNonNull(lines, "lines is null");
        List<String> all = new ArrayList<>(lines.size() + 1);
        if (dropped > 0) {
            all.add("[the agent dropped " + dropped + " log line" + (dropped == 1 ? "" : "s") + " it could not send]");
        }
        all.addAll(lines);
        log(jobId).append(all);
    }

    @Override
    public AutoCloseable follow(String jobId, Consumer<String> lines) {
        requireNonNull(lines, "lines is null");
        return log(jobId).follow(lines);
    }

    /** The job ended: its lines are dropped (its followers were told by the backend). */
    void forget(String jobId) {
        jobs.remove(requireNonNull(jobId, "jobId is null"));
    }

    /** The lines kept for a job, oldest first. */
    List<String> recent(String jobId) {
        return log(jobId).recent();
    }

    private JobLog log(String jobId) {
        return jobs.computeIfAbsent(requireNonNull(jobId, "jobId is null"), id -> new JobLog());
    }

    /** One job's lines and followers. */
    private static final class JobLog {
        private final Deque<String> recent = new ArrayDeque<>();            // guarded by this
        private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();

        synchronized void append(List<String> lines) {
            for (String line : lines) {
                if (recent.size() == RECENT_LINES) {
                    recent.removeFirst();
                }
                recent.addLast(line);
                for (Consumer<String> follower : followers) {
                    try {
                        follower.accept(line);
                    } catch (RuntimeException e) {
                        // One follower's failure is its own; the others and the agent carry on.
                        LOG.debug("A follower of an agent log failed: {}", e.toString());
                    }
                }
            }
        }

        synchronized AutoCloseable follow(Consumer<String> follower) {
            recent.forEach(follower);
            followers.add(follower);
            return () -> followers.remove(follower);
        }

        synchronized List<String> recent() {
            return List.copyOf(recent);
        }
    }
}
