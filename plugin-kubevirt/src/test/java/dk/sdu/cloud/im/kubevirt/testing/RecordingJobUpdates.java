package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Job updates as Core would receive them, in order. */
public final class RecordingJobUpdates implements JobUpdates {

    /** One update of one job. */
    public record Sent(String jobId, JobUpdate update) {
        @Override
        public String toString() {
            return jobId + ": " + (update.state() == null ? "-" : update.state()) + " " + update.status();
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Labels> labels = new CopyOnWriteArrayList<>();

    /** One call that set labels of a job. */
    public record Labels(String jobId, java.util.Map<String, String> labels) {
    }

    @Override
    public void updateLabels(String jobId, java.util.Map<String, String> labels) {
        this.labels.add(new Labels(jobId, java.util.Map.copyOf(labels)));
    }

    /** The labels set for a job, one map per call, oldest first. */
    public List<java.util.Map<String, String>> labelsOf(String jobId) {
        return labels.stream().filter(l -> l.jobId().equals(jobId)).map(Labels::labels).toList();
    }

    @Override
    public void send(String jobId, JobUpdate update) {
        sent.add(new Sent(jobId, update));
    }

    public List<Sent> all() {
        return List.copyOf(sent);
    }

    public List<JobUpdate> of(String jobId) {
        return sent.stream().filter(s -> s.jobId().equals(jobId)).map(Sent::update).toList();
    }

    /** The states sent for a job, in order (message-only updates left out). */
    public List<JobState> statesOf(String jobId) {
        return of(jobId).stream().map(JobUpdate::state).filter(java.util.Objects::nonNull).toList();
    }

    /** The last state sent for a job, or null. */
    public JobState lastStateOf(String jobId) {
        List<JobState> states = statesOf(jobId);
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    /** Whether a message containing the text was sent for a job. */
    public boolean hasMessage(String jobId, String text) {
        return of(jobId).stream().anyMatch(u -> u.status() != null && u.status().contains(text));
    }

    /** The latest state and the latest message sent for a job, as a host that keeps them would answer. */
    @Override
    public java.util.Optional<JobUpdate> lastRecorded(String jobId) {
        List<JobUpdate> updates = of(jobId);
        if (updates.isEmpty()) {
            return java.util.Optional.empty();
        }
        JobState state = lastStateOf(jobId);
        String status = null;
        for (JobUpdate update : updates) {
            if (update.status() != null) {
                status = update.status();
            }
        }
        return java.util.Optional.of(new JobUpdate(state, status, updates.get(updates.size() - 1).timestamp()));
    }

    /** States sent for a job that repeat the state before them. */
    public List<JobState> repeatedStatesOf(String jobId) {
        List<JobState> repeated = new java.util.ArrayList<>();
        JobState last = null;
        for (JobState state : statesOf(jobId)) {
            if (state == last) {
                repeated.add(state);
            }
            last = state;
        }
        return repeated;
    }

    public void clear() {
        sent.clear();
    }
}
