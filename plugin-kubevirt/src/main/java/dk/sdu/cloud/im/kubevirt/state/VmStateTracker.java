package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.informers.Followed;
import dk.sdu.cloud.im.kubevirt.informers.Keep;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Follows the VMs, VMIs and {@code virt-launcher} pods of the plugin's jobs with shared informers (VMs labelled
 * {@code app.kubernetes.io/managed-by=ucloud-im}, VMIs with a {@code ucloud.dk/jobId} label, pods labelled
 * {@code kubevirt.io=virt-launcher} with that label, which KubeVirt copies from the VMI; no polling; the VMs'
 * informer is the one the object cache uses, VMIs and pods are kept without their spec, see
 * {@link SharedInformers}; the informers are handed to it, and whoever made them closes them) and sends
 * each job's state to Core as {@link JobStateMapping} reads it, through a {@link TransitionSender} (transitions
 * only, carrying on from what {@link KnownJobStates} says Core has), deciding under one lock for all jobs and
 * sending after it is released ({@link UpdateOutbox}). While a job runs, its message follows the
 * guest's {@link BootStages}, which the guest agents' events ({@link #agentConnected}, {@link #agentReady},
 * {@link #agentGone}) move on.
 *
 * <p>A job whose VM is gone for longer than the grace period ({@link KubeVirtConfig#missingVmGraceSeconds()},
 * {@link MissingVms}) ends with SUCCESS, after the VM's absence is confirmed by a direct read. A job whose guest
 * powered itself off is reported SUSPENDED and handed to the {@code guestPoweredOff} callback, which halts its
 * VM as a suspend does. Its clock is injected: the grace period and a boot's agent limit are checked when a
 * timer set for their end fires, or when {@link #tick()} is called.
 */
public final class VmStateTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VmStateTracker.class);

    static final ResourceDefinitionContext VIRTUAL_MACHINES = KubeVirtApi.virtualMachines();
    static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCES = KubeVirtApi.virtualMachineInstances();
    /** KubeVirt's labels on a launcher pod: what it is, and the uid of the VMI it runs. */
    static final String KUBEVIRT_APP = "kubevirt.io";
    static final String VIRT_LAUNCHER = "virt-launcher";
    static final String CREATED_BY = "kubevirt.io/created-by";
    static final String VM_GONE = "The virtual machine no longer exists.";
    private static final String BY_JOB = "job";

    /**
     * How the tracker behaves besides its collaborators.
     *
     * @param missingVmGrace      how long a job's VM may be missing before the job ends with SUCCESS
     * @param agentConnectTimeout how long a boot may take until the guest's agent connects before the message
     *                            points to the console; zero: no limit
     * @param runningMessage      the message that goes with a job's RUNNING state, if any (e.g. how to reach it
     *                            over SSH); asked when the job becomes RUNNING, so it must be quick and must not
     *                            call back
     * @param guestPoweredOff     told (under the tracker's lock: it must be quick and must not call back) each
     *                            time it sees a job whose guest powered itself off and whose VM is not halted
     */
    public record Settings(Duration missingVmGrace, Duration agentConnectTimeout,
                           Function<String, Optional<String>> runningMessage, Consumer<String> guestPoweredOff) {
        public Settings {
            requireNonNull(missingVmGrace, "missingVmGrace is null");
            requireNonNull(agentConnectTimeout, "agentConnectTimeout is null");
            requireNonNull(runningMessage, "runningMessage is null");
            requireNonNull(guestPoweredOff, "guestPoweredOff is null");
        }

        /** The grace period and agent limit of the plugin's configuration, no running message, no callback. */
        public static Settings of(KubeVirtConfig config) {
            return new Settings(Duration.ofSeconds(config.missingVmGraceSeconds()),
                    Duration.ofSeconds(config.agentConnectTimeoutSeconds()), job -> Optional.empty(), job -> { });
        }

        public Settings withRunningMessage(Function<String, Optional<String>> message) {
            return new Settings(missingVmGrace, agentConnectTimeout, message, guestPoweredOff);
        }

        public Settings withGuestPoweredOff(Consumer<String> callback) {
            return new Settings(missingVmGrace, agentConnectTimeout, runningMessage, callback);
        }

        public Settings withAgentConnectTimeout(Duration timeout) {
            return new Settings(missingVmGrace, timeout, runningMessage, guestPoweredOff);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final KnownJobStates known;
    private final Consumer<String> guestPoweredOff;

    private final UpdateOutbox outbox;

    // Guarded by this.
    private final TransitionSender sender;
    private final LauncherEnds launcherEnds = new LauncherEnds();
    /** The jobs with updates decided under the lock held now, sent (by {@link #outbox}) once it is released. */
    private final Set<String> decided = new HashSet<>();
    private final MissingVms missing;
    private final BootStages boots;
    private final Map<String, Preparation> preparations = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private boolean synced;

    /**
     * A job's instance that failed, and the message sent for it. Its launcher pod's last state (why it
     * stopped) can arrive after the instance is gone: the two come from separate watches.
     */
    private record Failure(VmiFacts instance, String message, boolean refined) {
    }

    /** What the tracker follows: the IM's VMs (as the object cache), the jobs' VMIs and launcher pods. */
    static final Followed FOLLOWED_VMS = Followed.labelled(VIRTUAL_MACHINES,
            VmJobLabels.MANAGED_BY, VmJobLabels.MANAGER);
    static final Followed FOLLOWED_VMIS = new Followed(VIRTUAL_MACHINE_INSTANCES, Map.of(), Set.of(VmJobLabels.JOB_ID),
            Keep.METADATA_AND_STATUS);
    static final Followed FOLLOWED_PODS = new Followed(ResourceDefinitionContext.fromResourceType(Pod.class),
            Map.of(KUBEVIRT_APP, VIRT_LAUNCHER), Set.of(VmJobLabels.JOB_ID), Keep.METADATA_AND_STATUS);

    private final SharedInformers informers;
    private final KubernetesSerialization serialization;
    private final List<Runnable> unsubscribe = new java.util.ArrayList<>();
    private SharedIndexInformer<GenericKubernetesResource> vms;
    private SharedIndexInformer<GenericKubernetesResource> vmis;
    private SharedIndexInformer<GenericKubernetesResource> pods;
    private ScheduledExecutorService timers;

    /**
     * @param informers the plugin's shared informers (closed by whoever made them, not by the tracker)
     * @param updates   where job updates go
     * @param clock     the time of updates, of the missing-VM grace period and of boots
     * @param known     what Core last recorded about jobs
     * @param settings  how the tracker behaves besides its collaborators
     */
    public VmStateTracker(SharedInformers informers, JobUpdates updates, Clock clock, KnownJobStates known,
                          Settings settings) {
        this.informers = requireNonNull(informers, "informers is null");
        this.client = informers.client();
        this.namespace = informers.namespace();
        this.serialization = client.getKubernetesSerialization();
        this.clock = requireNonNull(clock, "clock is null");
        this.known = requireNonNull(known, "known is null");
        requireNonNull(settings, "settings is null");
        this.guestPoweredOff = settings.guestPoweredOff();
        this.outbox = new UpdateOutbox(requireNonNull(updates, "updates is null"));
        this.sender = new TransitionSender((job, update) -> {
            outbox.add(job, update);
            decided.add(job);
        }, clock, known, settings.runningMessage());
        this.missing = new MissingVms(settings.missingVmGrace());
        this.boots = new BootStages(settings.agentConnectTimeout());
    }

    /**
     * Lists the VMs, VMIs and launcher pods, sends what differs from what Core knows, starts the grace period
     * of active jobs without a VM, and follows changes from then on. Returns once the first lists are in.
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
        vms = informers.informer(FOLLOWED_VMS);
        vmis = informers.informer(FOLLOWED_VMIS);
        pods = informers.informer(FOLLOWED_PODS);
        // Events of objects listed before the tracker's first look are ignored (it is not synced yet): it
        // evaluates every job once its informers have their lists.
        vms.addIndexers(Map.of(BY_JOB, vm -> jobOf(vm).map(List::of).orElse(List.of())));
        vmis.addIndexers(Map.of(BY_JOB, vmi -> jobOf(vmi).map(List::of).orElse(List.of())));
        pods.addIndexers(Map.of(BY_JOB, pod -> labelledJob(pod).map(List::of).orElse(List.of())));
        follow(FOLLOWED_VMS, new Handler<>(VmStateTracker::jobOf, (job, vm) -> vmChanged(job),
                (job, vm) -> vmGone(job)));
        follow(FOLLOWED_VMIS, new Handler<>(VmStateTracker::jobOf, (job, vmi) -> changed(job),
                (job, vmi) -> changed(job)));
        follow(FOLLOWED_PODS, new Handler<>(VmStateTracker::labelledJob, this::podChanged, this::podChanged));
        informers.start();

        decideThenSend(() -> {
            synced = true;
            Set<String> jobs = new HashSet<>();
            vms.getStore().list().forEach(vm -> jobOf(vm).ifPresent(jobs::add));
            Instant now = clock.instant();
            for (String job : jobs) {
                // A guest Core knows as running is not announced as booting again: its agent reconnects.
                GenericKubernetesResource vmi = vmiOf(job, vmName(job));
                if (vmi != null && known.lastKnown(job).map(ObservedState::state).orElse(null) == JobState.RUNNING) {
                    boots.restored(job, vmi.getMetadata().getUid(), now);
                }
            }
            jobs.forEach(this::evaluate);
            for (String job : known.activeJobs()) {
                JobState last = known.lastKnown(job).map(ObservedState::state).orElse(null);
                if ((last == JobState.RUNNING || last == JobState.SUSPENDED) && vmOf(job) == null) {
                    startMissing(job, now);
                }
            }
        });
        log.info("Following the virtual machines of namespace {} ({} found)", namespace, vms.getStore().list().size());
    }

    /** Reports a job's disk preparation while it runs or after it failed; null once it is done. */
    public void preparation(String jobId, Preparation preparation) {
        requireNonNull(jobId, "jobId is null");
        decideThenSend(() -> {
            if (preparation == null) {
                preparations.remove(jobId);
            } else {
                preparations.put(jobId, preparation);
            }
            evaluate(jobId);
        });
    }

    /** A job was terminated: sends SUCCESS unless an end was sent already; later changes are ignored. */
    public void terminated(String jobId) {
        requireNonNull(jobId, "jobId is null");
        decideThenSend(() -> send(jobId, ObservedState.of(JobState.SUCCESS, null)));
    }

    /** The job's guest agent connected and said this of its guest. */
    public void agentConnected(String jobId, GuestAgentReport report) {
        requireNonNull(jobId, "jobId is null");
        decideThenSend(() -> {
            boots.agentConnected(jobId, report);
            evaluate(jobId);
        });
    }

    /** The job's guest agent reported its folders: the guest is ready. */
    public void agentReady(String jobId) {
        requireNonNull(jobId, "jobId is null");
        decideThenSend(() -> {
            boots.agentReady(jobId);
            evaluate(jobId);
        });
    }

    /** The job's guest agent's connection ended. */
    public void agentGone(String jobId) {
        requireNonNull(jobId, "jobId is null");
        decideThenSend(() -> {
            boots.agentGone(jobId, clock.instant());
            evaluate(jobId);
            scheduleOverdue(jobId);
        });
    }

    /**
     * Ends the jobs whose VM has been missing for longer than the grace period, and tells of boots whose agent
     * is overdue, by the injected clock.
     */
    public void tick() {
        Map<String, Instant> due = new HashMap<>();
        decideThenSend(() -> {
            // Of what a job's state says, only a boot's agent limit changes with time alone: the jobs whose boot
            // is overdue are evaluated, not every job (each timer of each boot ends in a tick).
            boots.overdue(clock.instant()).forEach(this::evaluate);
            due.putAll(missing.due(clock.instant(), job -> sender.isFinished(job) || vmOf(job) != null));
        });
        for (Map.Entry<String, Instant> entry : due.entrySet()) {
            String job = entry.getKey();
            // As UCloud does, trust only a direct read before ending a job: a cache may lag.
            boolean gone = client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(namespace)
                    .withName(vmName(job)).get() == null;
            decideThenSend(() -> {
                if (missing.end(job) && gone && vmOf(job) == null) {
                    log.info("The VM of job {} has been missing since {}: the job has ended", job, entry.getValue());
                    send(job, ObservedState.of(JobState.SUCCESS, VM_GONE));
                }
            });
        }
    }

    /** Since when a job's VM has been missing, while the grace period runs. */
    public synchronized Optional<Instant> vmMissingSince(String jobId) {
        return missing.since(jobId);
    }

    /** The state and message last sent (or known from Core) for a job. */
    public synchronized Optional<ObservedState> lastSent(String jobId) {
        return sender.lastSent(jobId);
    }

    @Override
    public void close() {
        unsubscribe.forEach(Runnable::run);
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    /**
     * Decides under the lock shared by all jobs, then sends what was decided after releasing it: sending is
     * I/O (the host appends to its job store). Returns once this thread's decisions are sent.
     */
    private void decideThenSend(Runnable decision) {
        List<String> jobs;
        synchronized (this) {
            try {
                decision.run();
            } finally {
                jobs = List.copyOf(decided);
                decided.clear();
            }
        }
        outbox.flush(jobs);
    }

    private void changed(String jobId) {
        decideThenSend(() -> evaluate(jobId));
    }

    private void vmChanged(String jobId) {
        decideThenSend(() -> {
            missing.stop(jobId);
            evaluate(jobId);
        });
    }

    private void vmGone(String jobId) {
        decideThenSend(() -> {
            if (!sender.isFinished(jobId) && vmOf(jobId) == null) {
                startMissing(jobId, clock.instant());
            }
            evaluate(jobId);
        });
    }

    private void follow(Followed followed, Handler<GenericKubernetesResource> handler) {
        SharedIndexInformer<GenericKubernetesResource> informer = informers.handle(followed, handler);
        unsubscribe.add(() -> informer.removeEventHandler(handler));
    }

    /** A launcher pod's event: what it says of why it stopped is kept, as the pod may be gone when it is read. */
    private void podChanged(String jobId, GenericKubernetesResource pod) {
        decideThenSend(() -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            launcherEnds.seen(jobId, labels == null ? null : labels.get(CREATED_BY), launcherFacts(pod));
            evaluate(jobId);
        });
    }

    private void startMissing(String jobId, Instant since) {
        if (missing.start(jobId, since)) {
            later(missing.grace());
        }
    }

    private void scheduleOverdue(String jobId) {
        boots.overdueAt(jobId).ifPresent(at -> later(Duration.between(clock.instant(), at)));
    }

    /** A tick after a delay (by the system's time; the tick itself reads the injected clock). */
    private void later(Duration delay) {
        if (timers != null && !timers.isShutdown()) {
            timers.schedule(this::tickSafely, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Checking for missing VMs and late agents failed; the next change or tick tries again", e);
        }
    }

    /** Called under the lock. */
    private void evaluate(String jobId) {
        if (!synced || sender.isFinished(jobId)) {
            return;
        }
        GenericKubernetesResource vm = vmOf(jobId);
        GenericKubernetesResource vmi = vm == null ? null : vmiOf(jobId, vm.getMetadata().getName());
        VmFacts vmFacts = vm == null ? null : VmFacts.of(vm);
        VmiFacts vmiFacts = vmi == null ? null : VmiFacts.of(vmi);
        LauncherPodFacts pod = vmi == null ? null : launcherOf(jobId, vmi.getMetadata().getUid());
        ObservedState observed = JobStateMapping.observe(vmFacts, vmiFacts, pod, preparations.get(jobId));
        if (observed.state() == JobState.RUNNING && observed.message() == null) {
            boolean fresh = !boots.tracks(jobId, vmiFacts.uid());
            Optional<String> stage = boots.running(jobId, vmiFacts.uid(), clock.instant());
            observed = ObservedState.of(JobState.RUNNING, stage.orElse(null));
            if (fresh) {
                scheduleOverdue(jobId);
            }
        } else if (vmiFacts == null || !"Running".equals(vmiFacts.phase())) {
            boots.notRunning(jobId);
        }
        if (JobStateMapping.guestPoweredOff(vmFacts, vmiFacts)) {
            guestPoweredOff.accept(jobId);
        }
        if (vmiFacts != null && "Failed".equals(vmiFacts.phase())) {
            failures.put(jobId, new Failure(vmiFacts, observed.message(),
                    pod != null && LauncherEnds.tellsWhy(pod)));
        } else {
            refineFailure(jobId, vmFacts, vmiFacts);
        }
        send(jobId, observed);
    }

    /**
     * Says why a job's failed instance stopped once its launcher pod tells (an eviction, an OOM kill) when the
     * instance was already gone as the pod's news came. This holds even once the new instance runs: pods and
     * instances come by separate watches, so the pod's news may come after the restarted instance's. Once the
     * pod has told, what it said is sent once (if it adds to what was sent), and the failure is forgotten.
     */
    private void refineFailure(String jobId, VmFacts vm, VmiFacts current) {
        Failure failure = failures.get(jobId);
        if (failure == null) {
            return;
        }
        if (failure.refined()) {
            failures.remove(jobId);
            return;
        }
        LauncherPodFacts pod = launcherOf(jobId, failure.instance().uid());
        if (pod == null || vm == null || !LauncherEnds.tellsWhy(pod)) {
            return;   // until the pod tells; a job that ends forgets it (send)
        }
        failures.remove(jobId);
        ObservedState refined = JobStateMapping.observe(vm, failure.instance(), pod, null);
        if (refined.message() != null && !refined.message().equals(failure.message())) {
            send(jobId, ObservedState.message(refined.message()));
        }
    }

    private void send(String jobId, ObservedState observed) {
        if (sender.send(jobId, observed)) {
            preparations.remove(jobId);
            failures.remove(jobId);
            missing.stop(jobId);
            boots.forget(jobId);
            launcherEnds.forget(jobId);
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

    /**
     * What the launcher pod of the job's instance (by the instance's uid, which KubeVirt puts on it) says, or
     * said before it went; null when nothing is known of it.
     */
    private LauncherPodFacts launcherOf(String jobId, String vmiUid) {
        LauncherPodFacts current = null;
        for (GenericKubernetesResource pod : pods.getIndexer().byIndex(BY_JOB, jobId)) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (vmiUid != null && labels != null && vmiUid.equals(labels.get(CREATED_BY))) {
                current = launcherFacts(pod);
                break;
            }
        }
        return launcherEnds.of(jobId, vmiUid, current);
    }

    /** What a launcher pod (kept as metadata and status) says. */
    private LauncherPodFacts launcherFacts(GenericKubernetesResource pod) {
        return LauncherPodFacts.of(serialization.convertValue(pod, Pod.class));
    }

    /** The job of a VM or VMI: its template's or its own {@code ucloud.dk/jobId}, else its name {@code vm-<job>-<rank>}. */
    static Optional<String> jobOf(GenericKubernetesResource object) {
        Object templateLabel = object.get("spec", "template", "metadata", "labels", VmJobLabels.JOB_ID);
        if (templateLabel != null) {
            return Optional.of(templateLabel.toString());
        }
        Optional<String> labelled = labelledJob(object);
        if (labelled.isPresent()) {
            return labelled;
        }
        String[] parts = object.getMetadata().getName().split("-");
        return parts.length == 3 && parts[0].equals("vm") ? Optional.of(parts[1]) : Optional.empty();
    }

    private static Optional<String> labelledJob(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(VmJobLabels.JOB_ID));
    }

    static String vmName(String jobId) {
        return new VmJobNames(jobId).virtualMachine();
    }

    /** Informer callbacks reduced to the job they concern. */
    private static final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {

        private final Function<T, Optional<String>> jobOf;
        private final BiConsumer<String, T> changed;
        private final BiConsumer<String, T> gone;

        Handler(Function<T, Optional<String>> jobOf, BiConsumer<String, T> changed, BiConsumer<String, T> gone) {
            this.jobOf = jobOf;
            this.changed = changed;
            this.gone = gone;
        }

        @Override
        public void onAdd(T object) {
            jobOf.apply(object).ifPresent(job -> changed.accept(job, object));
        }

        @Override
        public void onUpdate(T before, T after) {
            if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                jobOf.apply(after).ifPresent(job -> changed.accept(job, after));
            }
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
            jobOf.apply(object).ifPresent(job -> gone.accept(job, object));
        }
    }
}
