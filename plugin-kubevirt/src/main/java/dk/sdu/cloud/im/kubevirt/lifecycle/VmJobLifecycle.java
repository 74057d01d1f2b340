package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.admission.SshAccess;
import dk.sdu.cloud.im.kubevirt.admission.VmJobAdmission;
import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparationEvent;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparationRequest;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparations;
import dk.sdu.cloud.im.kubevirt.disk.GoldenImageKey;
import dk.sdu.cloud.im.kubevirt.disk.PreparedDisk;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.manifest.PowerState;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjects;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobRuntimeInputs;
import dk.sdu.cloud.im.kubevirt.reconcile.DesiredObjects;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.kubevirt.reconcile.InformerObjectCache;
import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import dk.sdu.cloud.im.kubevirt.reconcile.ReconcileException;
import dk.sdu.cloud.im.kubevirt.reconcile.UCloudImAdoption;
import dk.sdu.cloud.im.kubevirt.reconcile.VmAppearedException;
import dk.sdu.cloud.im.kubevirt.agent.GuestAgentEvents;
import dk.sdu.cloud.im.kubevirt.state.GuestAgentReport;
import dk.sdu.cloud.im.kubevirt.state.JobStateMapping;
import dk.sdu.cloud.im.kubevirt.state.Preparation;
import dk.sdu.cloud.im.kubevirt.state.VmFacts;
import dk.sdu.cloud.im.kubevirt.state.VmiFacts;
import dk.sdu.cloud.im.kubevirt.state.VmStateTracker;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The lifecycle of VM jobs against one cluster namespace: start, suspend, unsuspend, terminate, and the
 * resumption of half-done work when an IM starts again. Built with its collaborators and started by
 * {@link LifecycleComponents#open}, stopped by {@link #close}.
 *
 * <p><b>Start.</b> Admission first (a rejected job creates nothing). Then, under the job's lock: the job folder's
 * {@code config/} and {@code work/} and {@code mounts.yml}; the agent tokens (the existing cloud-init Secret's,
 * else new); and the objects, reconciled with the VM {@code Halted} and annotated {@code ucloud.dk/lifecycle:
 * starting} and {@code ucloud.dk/job: <the job>}. {@code start} returns there. The disk is prepared in the
 * background, its progress reported as IN_QUEUE messages; when it is ready, the SSH port is allocated and the VM
 * switched on ({@link ObjectReconciler#unsuspend}, annotation {@code running}). A job whose {@code disk.img} is
 * there already (a restart, a retry, a disk made beforehand) skips the halted step: its objects are reconciled
 * running at once. A start of a running job is a reconcile that finds nothing to change.
 *
 * <p><b>Failures.</b> A failed API step makes {@code start} throw; what was done stays, and the next start
 * carries on. A failed disk preparation (or a failed switch to running) leaves the job IN_QUEUE with a
 * message that says why and that the next start tries again; the VM stays halted with the intent
 * {@code starting}, so the next start (or the next IM, after a restart) does exactly that. It is not FAILURE:
 * the cause (an image server down, a full disk) is usually passing, and UCloud's own IM, which never retried,
 * left users with jobs they could only delete.
 *
 * <p><b>A guest that powers itself off.</b> The VM runs with {@code runStrategy: RerunOnFailure}: KubeVirt
 * restarts it after a crash or a kill, but leaves it off after a clean shutdown inside the guest. The state
 * tracker then reports the job SUSPENDED, and the VM is halted as by a suspend (annotation {@code powered-off},
 * SSH port released; see {@link #guestPoweredOff}), so that a start is an unsuspend as after any suspend.
 *
 * <p><b>Suspend</b> halts the VM (annotation {@code suspended}) and removes its SSH Service; a preparation that
 * runs goes on, but no longer switches the VM on. <b>Unsuspend</b> is a start of a suspended job: the VM runs
 * again with its objects ensured and an SSH port (perhaps another). <b>Terminate</b> stops a preparation,
 * marks the disk's PersistentVolume ({@code ucloud.dk/lifecycle: terminating} and the job folder), deletes the
 * VM (the garbage collector takes what it owns), moves {@code disk.img} to the trash, and reports SUCCESS once;
 * the volumes are deleted once Released ({@link ReleasedVolumeSweeper}). A terminated job stays ended: from
 * the moment its terminate holds the job's lock, a start or unsuspend is refused ({@link JobRejectedException}
 * "job X was terminated"), a suspend does nothing, and a preparation that ends does not switch the VM on;
 * a later IM knows it from the disk volume's mark while that volume exists ({@link TerminatedJobs}).
 *
 * <p><b>Restart.</b> Opening relists: a VM whose intent is {@code starting} has its start resumed (from
 * the job in its annotation); a disk volume marked {@code terminating} has its termination finished; running
 * and suspended VMs are only followed (after a check that an SSH Service is where it should be). States are
 * compared with what the host says Core has recorded ({@link JobUpdates#lastRecorded}), so nothing is sent twice
 * that Core already has.
 *
 * <p><b>Jobs of UCloud's own IM.</b> Opening first adopts what UCloud's IM made in the namespace
 * ({@link UCloudImAdoption}); a start, unsuspend or terminate adopts such a job made later. An adopted VM without
 * an intent is left as UCloud's IM left it by a start; a suspend halts it, an unsuspend restarts it with this
 * IM's objects, a terminate ends it as any job.
 */
public final class VmJobLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VmJobLifecycle.class);
    private static final Duration PREPARATION_STOP_WAIT = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final int LOCK_STRIPES = 256;
    private static final ResourceDefinitionContext PERSISTENT_VOLUMES =
            ResourceDefinitionContext.fromResourceType(io.fabric8.kubernetes.api.model.PersistentVolume.class);

    /**
     * What the lifecycle works with.
     *
     * @param config      the backend's configuration
     * @param admission   decides and plans jobs
     * @param factory     the desired objects of a plan
     * @param client      the cluster
     * @param namespace   the namespace of the jobs
     * @param fileSystem  the provider file system
     * @param sshSettings how jobs are reached over SSH
     * @param sshKeys     the owners' SSH keys
     * @param updates     job updates towards Core
     * @param clock       the time of updates
     */
    public record Services(KubeVirtConfig config, VmJobAdmission admission, VmJobObjectsFactory factory,
                           KubernetesClient client, String namespace, ProviderFileSystem fileSystem,
                           SshSettings sshSettings, SshKeyDirectory sshKeys, JobUpdates updates, Clock clock) {
        public Services {
            requireNonNull(config, "config is null");
            requireNonNull(admission, "admission is null");
            requireNonNull(factory, "factory is null");
            requireNonNull(client, "client is null");
            requireNonNull(namespace, "namespace is null");
            requireNonNull(fileSystem, "fileSystem is null");
            requireNonNull(sshSettings, "sshSettings is null");
            requireNonNull(sshKeys, "sshKeys is null");
            requireNonNull(updates, "updates is null");
            requireNonNull(clock, "clock is null");
        }
    }

    /**
     * What the lifecycle works with besides the host's services, made by {@link LifecycleComponents}; the
     * lifecycle starts and closes them.
     *
     * @param cache      what the IM knows of its objects in the cluster, read by the reconciler and the tokens
     * @param reconciler the cluster's objects of each job
     * @param preparer   the jobs' disks
     * @param ssh        SSH ports
     * @param tracker    the jobs' states, towards Core
     * @param sweeper    deletes Released volumes
     * @param tokens     the agent tokens of each job
     * @param folders    the job folders' content
     * @param trash      where terminated jobs' disks go
     * @param terminated the jobs that were terminated
     * @param adoption   adopts the jobs that UCloud's own IM made in the namespace
     * @param networks   the objects private networks share among their members
     * @param addresses  reports the jobs' Service addresses to Core
     * @param background runs preparations' follow-ups, resumptions and deletions; shut down on close
     * @param informers  the informers that the cache, the allocator, the tracker and the sweeper share; closed
     *                   after them
     */
    record Parts(InformerObjectCache cache, ObjectReconciler reconciler, DiskPreparations preparer,
                 SshPortAllocator ssh, VmStateTracker tracker, ReleasedVolumeSweeper sweeper, AgentTokenSource tokens,
                 JobFolders folders, DiskTrash trash, TerminatedJobs terminated, UCloudImAdoption adoption,
                 PrivateNetworkMembership networks, ServiceAddressReporter addresses, ExecutorService background,
                 SharedInformers informers) {
        Parts {
            requireNonNull(cache, "cache is null");
            requireNonNull(networks, "networks is null");
            requireNonNull(addresses, "addresses is null");
            requireNonNull(adoption, "adoption is null");
            requireNonNull(reconciler, "reconciler is null");
            requireNonNull(preparer, "preparer is null");
            requireNonNull(ssh, "ssh is null");
            requireNonNull(tracker, "tracker is null");
            requireNonNull(sweeper, "sweeper is null");
            requireNonNull(tokens, "tokens is null");
            requireNonNull(folders, "folders is null");
            requireNonNull(trash, "trash is null");
            requireNonNull(terminated, "terminated is null");
            requireNonNull(background, "background is null");
            requireNonNull(informers, "informers is null");
        }
    }

    private final Services services;
    private final VmJobAdmission admission;
    private final VmJobObjectsFactory factory;
    private final InformerObjectCache cache;
    private final ObjectReconciler reconciler;
    private final DiskPreparations preparer;
    private final SshPortAllocator ssh;
    private final VmStateTracker tracker;
    private final ReleasedVolumeSweeper sweeper;
    private final AgentTokenSource tokens;
    private final JobFolders folders;
    private final DiskTrash trash;
    private final TerminatedJobs terminated;
    private final UCloudImAdoption adoption;
    private final PrivateNetworkMembership networks;
    private final ServiceAddressReporter addresses;
    private final JobLocks locks = new JobLocks(LOCK_STRIPES);
    /** Starts in flight ({@link KubeVirtConfig#maxParallelStarts()}); fair, so that none waits for ever. */
    private final Semaphore startSlots;
    private final ExecutorService background;
    private final SharedInformers informers;
    private final Map<String, Long> attempts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<PreparedDisk>> preparations = new ConcurrentHashMap<>();
    /**
     * Jobs whose powered-off guest is being looked at; true when the tracker saw it again meanwhile, so that the
     * look is taken once more (the first may have read the VM before KubeVirt had left it off).
     */
    private final Map<String, Boolean> haltingPoweredOff = new ConcurrentHashMap<>();
    private volatile boolean closed;

    VmJobLifecycle(Services services, Parts parts) {
        this.services = requireNonNull(services, "services is null");
        requireNonNull(parts, "parts is null");
        this.admission = services.admission();
        this.factory = services.factory();
        this.cache = parts.cache();
        this.reconciler = parts.reconciler();
        this.preparer = parts.preparer();
        this.ssh = parts.ssh();
        this.tracker = parts.tracker();
        this.sweeper = parts.sweeper();
        this.tokens = parts.tokens();
        this.folders = parts.folders();
        this.trash = parts.trash();
        this.terminated = parts.terminated();
        this.adoption = parts.adoption();
        this.networks = parts.networks();
        this.addresses = parts.addresses();
        this.background = parts.background();
        this.informers = parts.informers();
        this.startSlots = new Semaphore(services.config().maxParallelStarts(), true);
    }

    /**
     * Starts the background work: the adoption of the jobs UCloud's own IM made (before the informers, so that
     * their first lists hold them), the SSH port allocator's and the state tracker's informers, the resumption
     * of half-done work, and the sweeper of Released volumes. Returns once the informers have their first
     * lists; on a failure, closes the lifecycle and throws.
     */
    void startBackgroundWork() {
        try {
            adoptJobsOfUCloudIm();
            cache.start();
            ssh.start();
            tracker.start();
            resume();
            sweeper.start(terminated::contains);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts a job, or carries on starting it. See the class comment. */
    public void start(Job job) {
        VmJobPlan plan = admission.admit(job);
        ensureOpen();
        inStartSlot(() -> locks.run(plan.jobId(), () -> {
            refuseIfTerminated(plan.jobId());
            withVm(plan.jobId(), vm -> startWith(job, plan, vm));
        }));
    }

    private void startWith(Job job, VmJobPlan plan, GenericKubernetesResource vm) {
        if (UCloudImAdoption.isAdopted(vm) && LifecycleIntent.of(vm).isEmpty()) {
            // Running or halted as UCloud's IM left it: a start (Core's create again, the host carrying on
            // after a restart) changes nothing; an unsuspend restarts it with this IM's objects.
            log.info("Job {} was adopted from UCloud's IM; its VM is kept as it is until the job is "
                    + "unsuspended", plan.jobId());
            return;
        }
        switch (LifecycleIntent.of(vm).orElse(LifecycleIntent.STARTING)) {
            case RUNNING -> keepRunning(job, plan, vm);
            case SUSPENDED -> keepSuspended(job, plan, vm, LifecycleIntent.SUSPENDED);
            case POWERED_OFF -> keepSuspended(job, plan, vm, LifecycleIntent.POWERED_OFF);
            default -> begin(job, plan, vm);
        }
    }

    /**
     * Runs a job's step with its VM as the cache knows it (adopted if it is UCloud's IM's). When the cache said
     * there was none but making the objects meets one (another IM made it since the plugin opened, and the
     * cache follows only VMs labelled as the plugin's), the step runs once more with the VM read from the API
     * server; nothing of the job was written to the cluster in between.
     */
    private void withVm(String jobId, java.util.function.Consumer<GenericKubernetesResource> step) {
        try {
            step.accept(adoption.adopt(existingVm(jobId)));
        } catch (VmAppearedException appeared) {
            log.info("Job {}: {}", jobId, appeared.getMessage());
            GenericKubernetesResource vm = reconciler.virtualMachine(jobId).orElseThrow(() -> appeared);
            step.accept(adoption.adopt(checkedNotDeleted(jobId, vm)));
        }
    }

    /**
     * Runs a start's work once fewer than {@code maxParallelStarts} are under way: the bound keeps a burst of
     * starts (a restart of the host with many queued jobs) from flooding the API server. The slot is taken
     * before the job's lock, so a start waiting for another operation of its job holds it meanwhile; such
     * waits are as short as that operation.
     */
    private void inStartSlot(Runnable work) {
        startSlots.acquireUninterruptibly();
        try {
            work.run();
        } finally {
            startSlots.release();
        }
    }

    /** Halts a job's VM and removes its SSH Service; a job without a VM is left as it is. */
    public void suspend(Job job) {
        String jobId = requireNonNull(job, "job is null").id();
        if (!VmJobNames.isDnsLabel(jobId)) {
            return;   // admission never accepts such a job: nothing of it exists
        }
        ensureOpen();
        locks.run(jobId, () -> {
            if (terminated.contains(jobId)) {
                log.info("Job {} was terminated; there is nothing to suspend", jobId);
                return;
            }
            nextAttempt(jobId);
            tracker.preparation(jobId, null);
            reconciler.suspend(jobId, Map.of(VmJobLabels.LIFECYCLE, LifecycleIntent.SUSPENDED.annotationValue()));
            ssh.release(jobId);
            log.info("Suspended job {}", jobId);
        });
    }

    /** Starts a suspended job again (a start of a running one changes nothing). */
    public void unsuspend(Job job) {
        VmJobPlan plan = admission.admit(job);
        ensureOpen();
        inStartSlot(() -> locks.run(plan.jobId(), () -> {
            refuseIfTerminated(plan.jobId());
            withVm(plan.jobId(), vm -> {
                if (LifecycleIntent.of(vm).orElse(null) == LifecycleIntent.RUNNING) {
                    keepRunning(job, plan, vm);
                } else {
                    begin(job, plan, vm);
                }
            });
        }));
    }

    /**
     * Brings a job's objects in line with its resources after one was attached or detached (or changed, e.g. a
     * public IP's firewall): a running VM's Services and policy change at once; a halted or starting one keeps
     * the job for its start, and the user is told so. A job without a VM yet is started with its resources as the
     * host then holds them.
     *
     * @param plan          the job's plan, admitted with its resources as they are now
     * @param runningNotice what to tell the user of a running VM besides its addresses (a change that applies at
     *                      its next start, e.g. a private network's)
     */
    public void applyResources(Job job, VmJobPlan plan, Optional<String> runningNotice) {
        requireNonNull(runningNotice, "runningNotice is null");
        ensureOpen();
        locks.run(plan.jobId(), () -> {
            refuseIfTerminated(plan.jobId());
            GenericKubernetesResource vm = adoption.adopt(existingVm(plan.jobId()));
            if (vm == null || (UCloudImAdoption.isAdopted(vm) && LifecycleIntent.of(vm).isEmpty())) {
                services.updates().send(plan.jobId(), JobUpdate.message("The change of the job's resources takes "
                        + "effect when the job is started again.", services.clock().millis()));
                return;
            }
            LifecycleIntent intent = LifecycleIntent.of(vm).orElse(LifecycleIntent.STARTING);
            if (intent == LifecycleIntent.RUNNING) {
                keepRunning(job, plan, vm);
                announceAddresses(plan, true);
                runningNotice.ifPresent(notice -> services.updates().send(plan.jobId(),
                        JobUpdate.message(notice, services.clock().millis())));
            } else {
                keepSuspended(job, plan, vm, intent);
                services.updates().send(plan.jobId(), JobUpdate.message("The change of the job's resources takes "
                        + "effect when its virtual machine runs again.", services.clock().millis()));
            }
            log.info("Job {}: its resources were applied ({})", plan.jobId(), intent);
        });
    }

    /**
     * Tells the user the public addresses of a running job (UCloud's IM's message); after a change, also that
     * none is left.
     */
    private void announceAddresses(VmJobPlan plan, boolean changed) {
        List<String> addresses = plan.networking().externalAddresses();
        if (addresses.isEmpty() && !changed) {
            return;
        }
        String message = addresses.isEmpty() ? "No public IP addresses are attached."
                : "Successfully attached the following IP addresses: " + String.join(", ", addresses);
        services.updates().send(plan.jobId(), JobUpdate.message(message, services.clock().millis()));
    }

    /** Ends a job for good; an unknown job is fine (it is reported ended). */
    public void terminate(Job job) {
        String jobId = requireNonNull(job, "job is null").id();
        if (!VmJobNames.isDnsLabel(jobId)) {
            return;
        }
        ensureOpen();
        String jobFolder = jobFolderOf(job);
        locks.run(jobId, () -> {
            // First: from here on no start, unsuspend or finished preparation of the job makes anything again.
            terminated.add(jobId);
            nextAttempt(jobId);
            stopPreparation(jobId);
            // Held until the termination is done: the disk's volume records it, and must outlive a failure.
            sweeper.hold(jobId);
            // A job of UCloud's IM not adopted yet (made after this IM opened): adopted, so that its disk's
            // volume, once Released, is the sweeper's.
            adoption.adopt(reconciler.virtualMachine(jobId).orElse(null));
            Map<String, String> mark = new LinkedHashMap<>();
            mark.put(VmJobLabels.LIFECYCLE, VmJobLabels.LIFECYCLE_TERMINATING);
            if (jobFolder != null) {
                mark.put(VmJobLabels.JOB_FOLDER, jobFolder);
            }
            reconciler.annotateVolume(new VmJobNames(jobId).diskVolume(), mark);
            finishTermination(jobId, jobFolder);
            sweeper.release(jobId);
        });
    }

    @Override
    public void close() {
        closed = true;
        sweeper.close();
        tracker.close();
        cache.close();
        informers.close();
        preparer.close();   // what it cut off is redone by the next start or the next IM
        background.shutdown();
        try {
            if (!background.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Lifecycle work did not stop within {}", CLOSE_WAIT);
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            background.shutdownNow();
        }
    }

    // --- starting ---

    /** A new job, a job whose start was cut off or failed, or a suspended one to run again. */
    private void begin(Job job, VmJobPlan plan, GenericKubernetesResource vm) {
        String jobId = plan.jobId();
        long attempt = nextAttempt(jobId);
        AgentTokens agentTokens = tokens.forJob(plan.names(), vm != null);
        DiskPreparationRequest request = diskRequest(plan);
        if (preparer.isPrepared(request)) {
            switchToRunning(job, plan, vm, agentTokens);
            tracker.preparation(jobId, null);
            return;
        }
        VmJobObjects halted = factory.build(plan, new VmJobRuntimeInputs(PowerState.HALTED, agentTokens,
                keysOf(jobId), OptionalInt.empty()));
        folders.prepare(plan, halted.mountsFile());
        networks.join(plan.networking().privateNetworks());
        reconciler.reconcile(desired(halted, LifecycleIntent.STARTING, job), vm);
        addresses.report(plan.names());
        log.info("Job {}: preparing its disk ({} GiB from {})", jobId, plan.diskSizeGiB(), plan.application());
        CompletableFuture<PreparedDisk> preparation = preparer.prepare(request, event -> progress(jobId, attempt, event));
        preparations.put(jobId, preparation);
        preparation.whenCompleteAsync((disk, failure) -> afterPreparation(job, plan, attempt, failure), background);
    }

    private void progress(String jobId, long attempt, DiskPreparationEvent event) {
        if (closed || !isCurrent(jobId, attempt) || event.phase() == DiskPreparationPhase.FAILED) {
            return;   // a failure is reported with its reason once the preparation has ended
        }
        tracker.preparation(jobId, Preparation.inProgress(event.message()));
    }

    private void afterPreparation(Job job, VmJobPlan plan, long attempt, Throwable failure) {
        String jobId = plan.jobId();
        try {
            locks.run(jobId, () -> {
                if (closed || !isCurrent(jobId, attempt) || terminated.contains(jobId)) {
                    return;   // suspended, terminated or started again meanwhile, or the IM is stopping
                }
                preparations.remove(jobId);
                if (failure != null) {
                    String reason = reasonOf(failure);
                    log.warn("Job {}: its disk could not be prepared: {}", jobId, reason);
                    tracker.preparation(jobId, Preparation.failed(reason));
                    return;
                }
                GenericKubernetesResource vm = existingVm(jobId);
                if (vm == null || LifecycleIntent.of(vm).orElse(null) != LifecycleIntent.STARTING) {
                    tracker.preparation(jobId, null);
                    return;
                }
                try {
                    // Resources attached while the disk was prepared are in the VM's record of the job.
                    Job current = recordedJob(vm).orElse(job);
                    VmJobPlan currentPlan = current.equals(job) ? plan : admission.admit(current);
                    switchToRunning(current, currentPlan, vm, tokens.forJob(plan.names(), true));
                    tracker.preparation(jobId, null);
                } catch (RuntimeException e) {
                    log.warn("Job {}: switching its VM on failed: {}", jobId, e.getMessage(), e);
                    tracker.preparation(jobId, Preparation.startFailed(e.getMessage()));
                }
            });
        } catch (RuntimeException e) {
            log.error("Job {}: the step after its disk preparation failed", jobId, e);
        }
    }

    /** The disk is ready: the VM runs, with its SSH Service when SSH applies and a port is free. */
    private void switchToRunning(Job job, VmJobPlan plan, GenericKubernetesResource vm, AgentTokens agentTokens) {
        OptionalInt port = sshPort(plan);
        VmJobObjects running = factory.build(plan, new VmJobRuntimeInputs(PowerState.RUNNING, agentTokens,
                keysOf(plan.jobId()), port));
        folders.prepare(plan, running.mountsFile());
        DesiredObjects desired = desired(running, LifecycleIntent.RUNNING, job);
        networks.join(plan.networking().privateNetworks());
        if (vm == null) {
            reconciler.reconcile(desired, null);
        } else {
            reconciler.unsuspend(desired, vm);
        }
        addresses.report(plan.names());
        log.info("Job {}: the VM runs{}", plan.jobId(), port.isPresent() ? " (SSH port " + port.getAsInt() + ")" : "");
        announceAddresses(plan, false);
    }

    private void keepRunning(Job job, VmJobPlan plan, GenericKubernetesResource vm) {
        AgentTokens agentTokens = tokens.forJob(plan.names(), true);
        VmJobObjects running = factory.build(plan, new VmJobRuntimeInputs(PowerState.RUNNING, agentTokens,
                keysOf(plan.jobId()), sshPort(plan)));
        folders.prepare(plan, running.mountsFile());
        networks.join(plan.networking().privateNetworks());
        reconciler.reconcile(desired(running, LifecycleIntent.RUNNING, job), vm);
        addresses.report(plan.names());
    }

    private void keepSuspended(Job job, VmJobPlan plan, GenericKubernetesResource vm, LifecycleIntent intent) {
        AgentTokens agentTokens = tokens.forJob(plan.names(), true);
        VmJobObjects halted = factory.build(plan, new VmJobRuntimeInputs(PowerState.HALTED, agentTokens,
                keysOf(plan.jobId()), OptionalInt.empty()));
        folders.prepare(plan, halted.mountsFile());
        networks.join(plan.networking().privateNetworks());
        reconciler.reconcile(desired(halted, intent, job), vm);
        addresses.report(plan.names());
    }

    /** What the guests' agents tell, for the jobs' boot stages in their status (see {@link VmStateTracker}). */
    public GuestAgentEvents agentEvents() {
        return new GuestAgentEvents() {
            @Override
            public void connected(String jobId, String os, String address) {
                tracker.agentConnected(jobId, new GuestAgentReport(os, address));
            }

            @Override
            public void mountsReported(String jobId) {
                tracker.agentReady(jobId);
            }

            @Override
            public void disconnected(String jobId) {
                tracker.agentGone(jobId);
            }
        };
    }

    // --- a guest that powered itself off ---

    /**
     * The state tracker saw the job's guest power itself off (KubeVirt left the VM off, as {@code RerunOnFailure}
     * does): the VM is halted as by a suspend (annotation {@code powered-off}) and its SSH port released, so that
     * the job holds nothing while it is off and a start is an unsuspend as after any suspend. Quick: the work
     * runs in the background, once per job at a time.
     */
    void guestPoweredOff(String jobId) {
        if (closed || !VmJobNames.isDnsLabel(jobId)) {
            return;
        }
        // Atomic per job: either this call starts a look, or it asks the running one to look once more.
        if (haltingPoweredOff.compute(jobId, (id, again) -> again == null ? Boolean.FALSE : Boolean.TRUE)) {
            return;
        }
        lookAtPoweredOff(jobId);
    }

    private void lookAtPoweredOff(String jobId) {
        try {
            background.execute(() -> {
                try {
                    locks.run(jobId, () -> haltPoweredOff(jobId));
                } catch (RuntimeException e) {
                    log.warn("Job {}: halting the VM whose guest powered off failed; the next change of the VM "
                            + "tries again: {}", jobId, e.getMessage(), e);
                } finally {
                    // Seen again while this look ran: look once more; else the job is no longer being looked at.
                    Boolean again = haltingPoweredOff.compute(jobId,
                            (id, seenAgain) -> Boolean.TRUE.equals(seenAgain) ? Boolean.FALSE : null);
                    if (again != null && !closed) {
                        lookAtPoweredOff(jobId);
                    } else if (again != null) {
                        haltingPoweredOff.remove(jobId);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            haltingPoweredOff.remove(jobId);
        }
    }

    private void haltPoweredOff(String jobId) {
        if (closed || terminated.contains(jobId)) {
            return;
        }
        GenericKubernetesResource vm = reconciler.virtualMachine(jobId).orElse(null);
        if (vm == null || vm.getMetadata().getDeletionTimestamp() != null
                || LifecycleIntent.of(vm).orElse(null) != LifecycleIntent.RUNNING) {
            return;   // suspended, terminated or not ours to halt meanwhile
        }
        // Read again, not from a cache: an unsuspend since the observation may have started the VM anew.
        GenericKubernetesResource vmi = services.client().genericKubernetesResources(KubeVirtApi.virtualMachineInstances())
                .inNamespace(services.namespace()).withName(vm.getMetadata().getName()).get();
        if (!JobStateMapping.guestPoweredOff(VmFacts.of(vm), vmi == null ? null : VmiFacts.of(vmi))) {
            return;
        }
        reconciler.suspend(jobId, Map.of(VmJobLabels.LIFECYCLE, LifecycleIntent.POWERED_OFF.annotationValue()));
        ssh.release(jobId);
        log.info("Job {}: its guest powered itself off; the VM is halted and the job suspended", jobId);
    }

    private OptionalInt sshPort(VmJobPlan plan) {
        String jobId = plan.jobId();
        if (plan.ssh().isEmpty()) {
            ssh.release(jobId);
            return OptionalInt.empty();
        }
        SshAccess access = plan.ssh().get();
        OptionalInt port = ssh.allocate(jobId, access);
        if (port.isEmpty()) {
            services.updates().send(jobId, JobUpdate.message("No SSH port is free (ports " + access.portMin() + "-"
                    + (access.portMax() - 1) + " are all in use): the virtual machine runs without SSH access.",
                    services.clock().millis()));
        }
        return port;
    }

    // --- terminating ---

    private void finishTermination(String jobId, String jobFolder) {
        Set<String> joined = PrivateNetworkMembership.subdomainsOf(reconciler.virtualMachine(jobId).orElse(null));
        reconciler.terminate(jobId);
        networks.leave(jobId, joined);
        if (jobFolder != null) {
            trash.moveDisk(jobId, jobFolder);
        }
        tracker.terminated(jobId);
        ssh.release(jobId);
        log.info("Terminated job {}", jobId);
    }

    private void stopPreparation(String jobId) {
        CompletableFuture<PreparedDisk> running = preparations.remove(jobId);
        preparer.cancel(jobId);
        tracker.preparation(jobId, null);
        if (running != null) {
            try {
                running.get(PREPARATION_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | java.util.concurrent.CancellationException stopped) {
                // It ended, as asked.
            } catch (TimeoutException e) {
                log.warn("The disk preparation of job {} did not stop within {}", jobId, PREPARATION_STOP_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String jobFolderOf(Job job) {
        try {
            return services.fileSystem().jobFolder(job);
        } catch (RuntimeException e) {
            log.warn("Job {}: its folder is unknown ({}); its disk is not moved to the trash", job.id(), e.getMessage());
            return null;
        }
    }

    // --- restart ---

    /**
     * Adopts what UCloud's own IM made in the namespace. A failure leaves those jobs unadopted (the plugin then
     * neither follows nor deletes them; the next start of such a job, or the next IM, tries again) and does not
     * keep the plugin's own jobs from running.
     */
    private void adoptJobsOfUCloudIm() {
        try {
            adoption.adoptAll();
        } catch (ReconcileException e) {
            log.warn("Adopting the jobs of UCloud's IM failed; they are tried again when started and when the IM "
                    + "starts again: {}", e.getMessage(), e);
        }
    }

    /** Carries on with what an earlier IM left half done. */
    private void resume() {
        Map<String, String> terminating = new LinkedHashMap<>();
        // From the cache's first lists, which were just made: no list of its own.
        for (GenericKubernetesResource volume : cache.list(PERSISTENT_VOLUMES)) {
            Map<String, String> annotations = volume.getMetadata().getAnnotations();
            Map<String, String> labels = volume.getMetadata().getLabels();
            String jobId = labels == null ? null : labels.get(VmJobLabels.JOB_ID);
            if (jobId != null && VmJobNames.isDnsLabel(jobId) && TerminatedJobs.marksTermination(volume)) {
                terminating.put(jobId, annotations.get(VmJobLabels.JOB_FOLDER));
                terminated.add(jobId);
            }
        }
        terminating.forEach((jobId, jobFolder) -> {
            sweeper.hold(jobId);
            background.execute(() -> {
                try {
                    locks.run(jobId, () -> finishTermination(jobId, jobFolder));
                    sweeper.release(jobId);
                } catch (RuntimeException e) {
                    log.warn("Job {}: finishing its termination failed; the next terminate (or IM) tries again: {}",
                            jobId, e.getMessage(), e);
                }
            });
        });
        int starting = 0;
        for (GenericKubernetesResource vm : cache.list(KubeVirtApi.virtualMachines())) {
            String jobId = jobOf(vm);
            if (jobId == null || terminating.containsKey(jobId) || vm.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            LifecycleIntent intent = LifecycleIntent.of(vm).orElse(null);
            if (intent == LifecycleIntent.STARTING) {
                starting++;
                background.execute(() -> resumeJob(jobId, vm, LifecycleIntent.STARTING));
            } else if ((intent == LifecycleIntent.SUSPENDED || intent == LifecycleIntent.POWERED_OFF)
                    && ssh.hasService(jobId)) {
                background.execute(() -> resumeJob(jobId, vm, intent));
            } else if (intent == LifecycleIntent.RUNNING && !ssh.hasService(jobId)) {
                background.execute(() -> resumeJob(jobId, vm, LifecycleIntent.RUNNING));
            }
        }
        log.info("Resuming {} start(s) and {} termination(s) left by an earlier IM", starting, terminating.size());
    }

    /** Carries on with a job's step, if the VM still has the intent it was found with. */
    private void resumeJob(String jobId, GenericKubernetesResource found, LifecycleIntent intent) {
        try {
            // A suspend needs no job (an adopted VM of UCloud's IM that this IM suspended has none recorded).
            if (intent == LifecycleIntent.SUSPENDED || intent == LifecycleIntent.POWERED_OFF) {
                locks.run(jobId, () -> {
                    if (!terminated.contains(jobId)) {
                        reconciler.suspend(jobId, Map.of(VmJobLabels.LIFECYCLE, intent.annotationValue()));
                    }
                });
                return;
            }
            Map<String, String> annotations = found.getMetadata().getAnnotations();
            String recorded = annotations == null ? null : annotations.get(VmJobLabels.JOB);
            if (recorded == null) {
                throw new IllegalArgumentException("the VM has no " + VmJobLabels.JOB + " annotation");
            }
            Job job = JobRecord.decode(recorded);
            VmJobPlan plan = admission.admit(job);
            locks.run(jobId, () -> {
                if (terminated.contains(jobId)) {
                    return;   // terminated meanwhile
                }
                GenericKubernetesResource vm = existingVm(jobId);
                if (LifecycleIntent.of(vm).orElse(null) != intent) {
                    return;   // someone moved it on meanwhile
                }
                if (intent == LifecycleIntent.RUNNING) {
                    keepRunning(job, plan, vm);
                } else {
                    begin(job, plan, vm);
                }
            });
        } catch (JobRejectedException | IllegalArgumentException e) {
            log.warn("Job {} cannot be resumed: {}", jobId, e.getMessage());
            services.updates().send(jobId, JobUpdate.message("The job could not be resumed after a restart of the "
                    + "integration module: " + e.getMessage(), services.clock().millis()));
        } catch (RuntimeException e) {
            log.warn("Job {}: resuming failed; the next start tries again: {}", jobId, e.getMessage(), e);
        }
    }

    // --- helpers ---

    /** A terminated job stays ended: its start or unsuspend (late, repeated, or racing the terminate) is refused. */
    private void refuseIfTerminated(String jobId) {
        if (terminated.contains(jobId)) {
            throw new JobRejectedException("job " + jobId + " was terminated");
        }
    }

    /** The job's VM as the cache knows it (the IM's own writes included); no request when the cache can tell. */
    private GenericKubernetesResource existingVm(String jobId) {
        return checkedNotDeleted(jobId, reconciler.knownVirtualMachine(jobId).orElse(null));
    }

    private static GenericKubernetesResource checkedNotDeleted(String jobId, GenericKubernetesResource vm) {
        if (vm != null && vm.getMetadata().getDeletionTimestamp() != null) {
            throw new IllegalStateException("The virtual machine of job " + jobId + " is being deleted; the job "
                    + "cannot be changed any more.");
        }
        return vm;
    }

    private DesiredObjects desired(VmJobObjects objects, LifecycleIntent intent, Job job) {
        GenericKubernetesResource vm = new GenericKubernetesResourceBuilder(objects.virtualMachine())
                .editMetadata()
                .addToAnnotations(VmJobLabels.LIFECYCLE, intent.annotationValue())
                .addToAnnotations(VmJobLabels.JOB, JobRecord.encode(job))
                .endMetadata()
                .build();
        return new DesiredObjects(job.id(), vm, objects.ownedByVirtualMachine(), objects.persistentVolumes());
    }

    /** The job as the VM's annotation records it, when it does and can be read. */
    private static Optional<Job> recordedJob(GenericKubernetesResource vm) {
        Map<String, String> annotations = vm.getMetadata().getAnnotations();
        String recorded = annotations == null ? null : annotations.get(VmJobLabels.JOB);
        if (recorded == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JobRecord.decode(recorded));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private DiskPreparationRequest diskRequest(VmJobPlan plan) {
        return new DiskPreparationRequest(plan.jobId(),
                new GoldenImageKey(plan.application().name(), plan.application().version()),
                plan.imageUrl(), plan.imageSha256().orElse(null),
                services.fileSystem().resolve(plan.jobFolder()).toAbsolutePath(), plan.diskSizeGiB());
    }

    private List<String> keysOf(String jobId) {
        return services.sshKeys().authorizedKeys(jobId);
    }

    private long nextAttempt(String jobId) {
        return attempts.merge(jobId, 1L, Long::sum);
    }

    private boolean isCurrent(String jobId, long attempt) {
        return attempts.getOrDefault(jobId, 0L) == attempt;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The KubeVirt backend has been closed.");
        }
    }

    private static String jobOf(GenericKubernetesResource vm) {
        Map<String, String> labels = vm.getMetadata().getLabels();
        String jobId = labels == null ? null : labels.get(VmJobLabels.JOB_ID);
        return jobId != null && VmJobNames.isDnsLabel(jobId) ? jobId : null;
    }

    private static String reasonOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
