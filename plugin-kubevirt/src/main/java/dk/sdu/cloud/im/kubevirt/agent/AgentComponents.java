package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The composition root of the agent endpoint: where {@link AgentEndpoint} and its threads are made.
 * {@link #standard()} is how the plugin runs (a scheduler thread for timers, two threads for Secret reads and
 * SSH key lookups); a test gives its own scheduler and executor, so that it decides when time passes.
 */
public final class AgentComponents {
    private static final int WORKER_THREADS = 2;

    /**
     * What the endpoint works with.
     *
     * @param client    the cluster (the jobs' cloud-init Secrets hold the agent tokens)
     * @param namespace the namespace of the jobs
     * @param sshKeys   the owners' SSH keys, and their changes
     * @param updates   job messages (folders that could not be mounted)
     * @param clock     the time of heartbeats, tokens and messages
     * @param events    who hears of agents connecting, reporting their mounts and going (the job states)
     */
    public record Services(KubernetesClient client, String namespace, SshKeyDirectory sshKeys, JobUpdates updates,
                           Clock clock, GuestAgentEvents events) {
        public Services {
            requireNonNull(client, "client is null");
            requireNonNull(namespace, "namespace is null");
            requireNonNull(sshKeys, "sshKeys is null");
            requireNonNull(updates, "updates is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(events, "events is null");
        }

        /** Services whose agents' events nobody hears. */
        public Services(KubernetesClient client, String namespace, SshKeyDirectory sshKeys, JobUpdates updates,
                        Clock clock) {
            this(client, namespace, sshKeys, updates, clock, GuestAgentEvents.NONE);
        }
    }

    private final AgentScheduler scheduler;
    private final Executor executor;

    private AgentComponents(AgentScheduler scheduler, Executor executor) {
        this.scheduler = scheduler;
        this.executor = executor;
    }

    /** Timers and lookups on the endpoint's own daemon threads, made when it opens and stopped when it closes. */
    public static AgentComponents standard() {
        return new AgentComponents(null, null);
    }

    /** Timers on the given scheduler, lookups on the given executor (a test's; neither is shut down). */
    public static AgentComponents with(AgentScheduler scheduler, Executor executor) {
        return new AgentComponents(requireNonNull(scheduler, "scheduler is null"),
                requireNonNull(executor, "executor is null"));
    }

    /** Makes the endpoint and starts following the owners' SSH keys. */
    public AgentEndpoint open(Services services) {
        requireNonNull(services, "services is null");
        AgentScheduler timers = scheduler;
        Executor workers = executor;
        AutoCloseable threads = () -> { };
        if (timers == null) {
            ScheduledExecutorService timerThread = Executors.newSingleThreadScheduledExecutor(
                    daemonThreads("kubevirt-agent-timer"));
            ExecutorService workerThreads = Executors.newFixedThreadPool(WORKER_THREADS,
                    daemonThreads("kubevirt-agent-lookup"));
            timers = AgentScheduler.of(timerThread);
            workers = workerThreads;
            threads = () -> {
                timerThread.shutdownNow();
                workerThreads.shutdownNow();
            };
        }
        AgentEndpoint endpoint = new AgentEndpoint(new SecretAgentTokens(services.client(), services.namespace(),
                workers), services.sshKeys(), services.updates(), services.clock(), timers, workers,
                new SecureRandom(), threads, services.events(), new AgentLogs());
        endpoint.watchKeys();
        return endpoint;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
