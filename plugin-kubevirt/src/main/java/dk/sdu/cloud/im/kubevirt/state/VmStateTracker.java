package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Follows the VMs and VMIs of the plugin's jobs with shared informers (VMs labelled
 * {@code app.kubernetes.io/managed-by=ucloud-im}, VMIs with a {@code ucloud.dk/jobId} label; no polling) and
 * sends each job's state to Core as {@link JobStateMapping} reads it, transitions only: per job it keeps the
 * last state and message sent, starting from what {@link KnownJobStates} says Core has, so a restarted IM
 * sends only what changed while it was away.
 *
 * <p>A job whose VM is gone for longer than the grace period ({@link KubeVirtConfig#missingVmGraceSeconds()})
 * ends with SUCCESS, after the VM's absence is confirmed by a direct read. Its clock is injected: the grace
 * period is checked when a timer set for its end fires, or when {@link #tick()} is called.
 */
public final class VmStateTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VmStateTracker.class);

    static final ResourceDefinitionContext VIRTUAL_MACHINES = context("VirtualMachine", "virtualmachines");
    static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCES = context("VirtualMachineInstance",
            "virtualmachineinstances");
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "ucloud-im";
    static final String JOB_ID = "ucloud.dk/jobId";
    static final String VM_GONE = "The virtual machine no longer exists.";
    private static final String BY_JOB = "job";

    private final KubernetesClient client;
    private final String namespace;
    private final JobUpdates updates;
    private final Clock clock;
    private final Duration missingVmGrace;
    private final KnownJobStates known;
    private final Function<String, Optional<String>> runningMessage;

    // Guarded by this.
    private final Map<String, ObservedState> sent = new HashMap<>();
    private final Map<String, Preparation> preparations = new HashMap<>();
    private final Map<String, Instant> missingSince = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    private boolean synced;

    private SharedIndexInformer<GenericKubernetesResource> vms;
    private SharedIndexInformer<GenericKubernetesResource> vmis;
    private ScheduledExecutorService timers;

    /**
     * @param client         the Kubernetes client
     * @param namespace      the namespace of the jobs
     * @param updates        where job updates go
     * @param clock          the time of updates and of the missing-VM grace period
     * @param missingVmGrace how long a job's VM may be missing before the job ends with SUCCESS
     * @param known          what Core last recorded about jobs
     */
    public VmStateTracker(KubernetesClient client, String namespace, JobUpdates updates, Clock clock,
                          Duration missingVmGrace, KnownJobStates known) {
        this(client, namespace, updates, clock, missingVmGrace, known, job -> Optional.empty());
    }

    /**
     * @param runningMessage the message that goes with a job's RUNNING state, if any (e.g. how to reach it over
     *                       SSH); asked when the job becomes RUNNING, so it must be quick and must not call back
     */
    public VmStateTracker(KubernetesClient client, String namespace, JobUpdates updates, Clock clock,
                          Duration missingVmGrace, KnownJobStates known,
                          Function<String, Optional<String>> runningMessage) {
        this.runningMessage = requireNonNull(runningMessage, "runningMessage is null");
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.updates = requireNonNull(updates, "updates is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.missingVmGrace = requireNonNull(missingVmGrace, "missingVmGrace is null");
        this.known = requireNonNull(known, "known is null");
        if (missingVmGrace.isNegative()) {
            throw new IllegalArgumentException("missingVmGrace must not be negative: " + missingVmGrace);
        }
    }

    /** A tracker with the grace period of the plugin's configuration. */
    public static VmStateTracker of(KubernetesClient client, String namespace, JobUpdates updates, Clock clock,
                                    KubeVirtConfig config, KnownJobStates known) {
        return of(client, namespace, updates, clock, config, known, job -> Optional.empty());
    }

    /** A tracker with the grace period of the plugin's configuration and a message for RUNNING jobs. */
    public static VmStateTracker of(KubernetesClient client, String namespace, JobUpdates updates, Clock clock,
                                    KubeVirtConfig config, KnownJobStates known,
                                    Function<String, Optional<String>> runningMessage) {
        return new VmStateTracker(client, namespace, updates, clock,
                Duration.ofSeconds(config.missingVmGraceSeconds()), known, runningMessage);
    }

    /**
     * Lists the VMs and VMIs, sends what differs from what Core knows, starts the grace period of active jobs
     * without a VM, and follows changes from then on. Returns once the first lists are in.
     */
    public void start() {
        if (vms != null) {
            throw new IllegalStateException("the tracker has started already");
        }
        timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vm-state-tracker-timer");
            thread.setDaemon(true);
            return thread;
        });
        vms = client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(namespace)
                .withLabel(MANAGED_BY, MANAGER)
                .runnableInformer(0);
        vmis = client.genericKubernetesResources(VIRTUAL_MACHINE_INSTANCES).inNamespace(namespace)
                .withLabel(JOB_ID)
                .runnableInformer(0);
        vms.addIndexers(Map.of(BY_JOB, vm -> jobOf(vm).map(List::of).orElse(List.of())));
        vmis.addIndexers(Map.of(BY_JOB, vmi -> jobOf(vmi).map(List::of).orElse(List.of())));
        vms.addEventHandler(new Handler(this::vmChanged, this::vmGone));
        vmis.addEventHandler(new Handler(this::evaluate, this::evaluate));
        CompletableFuture.allOf(vms.start().toCompletableFuture(), vmis.start().toCompletableFuture()).join();

        synchronized (this) {
            synced = true;
            Set<String> jobs = new HashSet<>();
            vms.getStore().list().forEach(vm -> jobOf(vm).ifPresent(jobs::add));
            jobs.forEach(this::evaluate);
            Instant now = clock.instant();
            for (String job : known.activeJobs()) {
                JobState last = known.lastKnown(job).map(ObservedState::state).orElse(null);
                if ((last == JobState.RUNNING || last == JobState.SUSPENDED) && vmOf(job) == null) {
                    startMissing(job, now);
                }
            }
        }
        log.info("Following the virtual machines of namespace {} ({} found)", namespace, vms.getStore().list().size());
    }

    /** Reports a job's disk preparation while it runs or after it failed; null once it is done. */
    public synchronized void preparation(String jobId, Preparation preparation) {
        requireNonNull(jobId, "jobId is null");
        if (preparation == null) {
            preparations.remove(jobId);
        } else {
            preparations.put(jobId, preparation);
        }
        evaluate(jobId);
    }

    /** A job was terminated: sends SUCCESS unless an end was sent already; later changes are ignored. */
    public synchronized void terminated(String jobId) {
        requireNonNull(jobId, "jobId is null");
        send(jobId, ObservedState.of(JobState.SUCCESS, null));
    }

    /** Ends the jobs whose VM has been missing for longer than the grace period, by the injected clock. */
    public void tick() {
        Map<String, Instant> due = new HashMap<>();
        synchronized (this) {
            Instant now = clock.instant();
            missingSince.entrySet().removeIf(entry -> finished.contains(entry.getKey()) || vmOf(entry.getKey()) != null);
            missingSince.forEach((job, since) -> {
                if (Duration.between(since, now).compareTo(missingVmGrace) >= 0) {
                    due.put(job, since);
                }
            });
        }
        for (String job : due.keySet()) {
            // As UCloud does, trust only a direct read before ending a job: a cache may lag.
            boolean gone = client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(namespace)
                    .withName(vmName(job)).get() == null;
            synchronized (this) {
                if (missingSince.remove(job) != null && gone && vmOf(job) == null) {
                    log.info("The VM of job {} has been missing since {}: the job has ended", job, due.get(job));
                    send(job, ObservedState.of(JobState.SUCCESS, VM_GONE));
                }
            }
        }
    }

    /** Since when a job's VM has been missing, while the grace period runs. */
    public synchronized Optional<Instant> vmMissingSince(String jobId) {
        return Optional.ofNullable(missingSince.get(jobId));
    }

    /** The state and message last sent (or known from Core) for a job. */
    public synchronized Optional<ObservedState> lastSent(String jobId) {
        return Optional.ofNullable(sent.get(jobId));
    }

    @Override
    public void close() {
        if (vms != null) {
            vms.close();
            vmis.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    private synchronized void vmChanged(String jobId) {
        missingSince.remove(jobId);
        evaluate(jobId);
    }

    private synchronized void vmGone(String jobId) {
        if (!finished.contains(jobId) && vmOf(jobId) == null) {
            startMissing(jobId, clock.instant());
        }
        evaluate(jobId);
    }

    private void startMissing(String jobId, Instant since) {
        if (missingSince.putIfAbsent(jobId, since) == null && timers != null) {
            timers.schedule(this::tickSafely, Math.max(0, missingVmGrace.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Checking for missing VMs failed; the next change or tick tries again", e);
        }
    }

    private synchronized void evaluate(String jobId) {
        if (!synced || finished.contains(jobId)) {
            return;
        }
        GenericKubernetesResource vm = vmOf(jobId);
        GenericKubernetesResource vmi = vm == null ? null : vmiOf(jobId, vm.getMetadata().getName());
        ObservedState observed = JobStateMapping.observe(vm == null ? null : VmFacts.of(vm),
                vmi == null ? null : VmiFacts.of(vmi), preparations.get(jobId));
        send(jobId, observed);
    }

    private void send(String jobId, ObservedState observed) {
        if (observed.isNone() || finished.contains(jobId)) {
            return;
        }
        ObservedState last = sent.computeIfAbsent(jobId, job -> known.lastKnown(job).orElse(ObservedState.NONE));
        if (observed.state() == JobState.RUNNING && observed.message() == null && last.state() != JobState.RUNNING) {
            observed = ObservedState.of(JobState.RUNNING, runningMessage.apply(jobId).orElse(null));
        }
        long now = clock.millis();
        if (observed.state() != null && observed.state() != last.state()) {
            updates.send(jobId, JobUpdate.state(observed.state(), observed.message(), now));
            sent.put(jobId, observed);
        } else if (observed.message() != null && !observed.message().equals(last.message())) {
            updates.send(jobId, JobUpdate.message(observed.message(), now));
            sent.put(jobId, new ObservedState(last.state(), observed.message()));
        }
        JobState state = sent.get(jobId).state();
        if (state != null && state.isFinal()) {
            finished.add(jobId);
            preparations.remove(jobId);
            missingSince.remove(jobId);
        }
    }

    private GenericKubernetesResource vmOf(String jobId) {
        List<GenericKubernetesResource> found = vms.getIndexer().byIndex(BY_JOB, jobId);
        return found.isEmpty() ? null : found.get(0);
    }

    private GenericKubernetesResource vmiOf(String jobId, String vmName) {
        GenericKubernetesResource byName = vmis.getStore().getByKey(namespace + "/" + vmName);
        if (byName != null) {
            return byName;
        }
        List<GenericKubernetesResource> found = vmis.getIndexer().byIndex(BY_JOB, jobId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The job of a VM or VMI: its template's or its own {@code ucloud.dk/jobId}, else its name {@code vm-<job>-<rank>}. */
    static Optional<String> jobOf(GenericKubernetesResource object) {
        Object templateLabel = object.get("spec", "template", "metadata", "labels", JOB_ID);
        if (templateLabel != null) {
            return Optional.of(templateLabel.toString());
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels != null && labels.get(JOB_ID) != null) {
            return Optional.of(labels.get(JOB_ID));
        }
        String[] parts = object.getMetadata().getName().split("-");
        return parts.length == 3 && parts[0].equals("vm") ? Optional.of(parts[1]) : Optional.empty();
    }

    static String vmName(String jobId) {
        return "vm-" + jobId + "-0";
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    /** Informer callbacks reduced to the job they concern. */
    private static final class Handler implements ResourceEventHandler<GenericKubernetesResource> {

        private final java.util.function.Consumer<String> changed;
        private final java.util.function.Consumer<String> gone;

        Handler(java.util.function.Consumer<String> changed, java.util.function.Consumer<String> gone) {
            this.changed = changed;
            this.gone = gone;
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            jobOf(object).ifPresent(changed);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                jobOf(after).ifPresent(changed);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            jobOf(object).ifPresent(gone);
        }
    }
}
