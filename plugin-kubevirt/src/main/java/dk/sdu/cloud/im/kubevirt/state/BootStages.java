package dk.sdu.cloud.im.kubevirt.state;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How far the guest of each running job has come, for its status message: booting, its agent connected (with
 * the guest's OS and address when the agent says them), ready (the agent reported its folders), or overdue (no
 * agent within the configured time of the boot: the user is pointed to the console). A boot belongs to one
 * instance (a restarted VM boots again). Not thread-safe: the tracker calls it under its lock.
 */
final class BootStages {

    static final String BOOTING = "The guest is booting.";
    static final String AGENT_CONNECTED = "The guest is up: its agent is connected";
    static final String READY = "The virtual machine is ready.";

    private final Duration agentTimeout;
    private final Map<String, Boot> boots = new HashMap<>();
    private final Map<String, Agent> agents = new HashMap<>();

    /** The boot of one instance; {@code quiet}: known from before an IM restart, so "booting" is not said again. */
    private record Boot(String instance, Instant since, boolean quiet) {
    }

    private record Agent(GuestAgentReport report, boolean ready) {
    }

    /** @param agentTimeout how long a boot may take until the agent connects; zero: no limit */
    BootStages(Duration agentTimeout) {
        this.agentTimeout = requireNonNull(agentTimeout, "agentTimeout is null");
        if (agentTimeout.isNegative()) {
            throw new IllegalArgumentException("agentTimeout must not be negative: " + agentTimeout);
        }
    }

    /**
     * The status message of a job whose instance runs; empty when there is nothing new to say (an IM that
     * started again does not say "booting" of a guest Core knows as running).
     */
    Optional<String> running(String jobId, String instance, Instant now) {
        Boot boot = boots.get(jobId);
        if (boot == null || !Objects.equals(boot.instance(), instance)) {
            boot = new Boot(instance, now, false);
            boots.put(jobId, boot);
        }
        Agent agent = agents.get(jobId);
        if (agent != null) {
            return Optional.of(agent.ready() ? READY : AGENT_CONNECTED + agent.report().describe() + ".");
        }
        if (overdue(boot, now)) {
            return Optional.of(overdueMessage());
        }
        return boot.quiet() ? Optional.empty() : Optional.of(BOOTING);
    }

    /** Whether the job's boot of this instance is known already. */
    boolean tracks(String jobId, String instance) {
        Boot boot = boots.get(jobId);
        return boot != null && Objects.equals(boot.instance(), instance);
    }

    /** A job that Core knows as running when the tracker starts: its boot is not announced again. */
    void restored(String jobId, String instance, Instant now) {
        boots.put(jobId, new Boot(instance, now, true));
    }

    /** The job's instance does not run (not yet, or no more): the next one boots anew. */
    void notRunning(String jobId) {
        boots.remove(jobId);
    }

    /** When the job's boot becomes overdue, if it runs without agent and a limit applies. */
    Optional<Instant> overdueAt(String jobId) {
        Boot boot = boots.get(jobId);
        if (boot == null || agents.containsKey(jobId) || agentTimeout.isZero()) {
            return Optional.empty();
        }
        return Optional.of(boot.since().plus(agentTimeout));
    }

    /** The jobs whose boot is overdue by now (running without agent for longer than the limit). */
    java.util.Set<String> overdue(Instant now) {
        java.util.Set<String> jobs = new java.util.HashSet<>();
        boots.forEach((job, boot) -> {
            if (!agents.containsKey(job) && overdue(boot, now)) {
                jobs.add(job);
            }
        });
        return jobs;
    }

    void agentConnected(String jobId, GuestAgentReport report) {
        agents.put(jobId, new Agent(requireNonNull(report, "report is null"), false));
    }

    /** The agent reported its folders: the guest is ready (an agent not known connected counts as connected). */
    void agentReady(String jobId) {
        Agent agent = agents.get(jobId);
        agents.put(jobId, new Agent(agent == null ? GuestAgentReport.NONE : agent.report(), true));
    }

    /** The agent's connection ended: a guest that reboots boots again, and the limit starts again. */
    void agentGone(String jobId, Instant now) {
        agents.remove(jobId);
        boots.computeIfPresent(jobId, (job, boot) -> new Boot(boot.instance(), now, false));
    }

    void forget(String jobId) {
        boots.remove(jobId);
        agents.remove(jobId);
    }

    private boolean overdue(Boot boot, Instant now) {
        return !agentTimeout.isZero() && Duration.between(boot.since(), now).compareTo(agentTimeout) >= 0;
    }

    private String overdueMessage() {
        long seconds = agentTimeout.toSeconds();
        String time = seconds % 60 == 0 ? seconds / 60 + (seconds == 60 ? " minute" : " minutes") : seconds + " s";
        return "The guest's agent has not connected within " + time + " of the boot. Open the job's console to see "
                + "what the guest shows.";
    }
}
