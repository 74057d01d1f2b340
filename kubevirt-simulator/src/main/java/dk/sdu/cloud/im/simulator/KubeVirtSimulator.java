package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.simulator.vnc.BitmapFont;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.mockwebserver.http.MockResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Plays KubeVirt's virt-controller, Kubernetes' garbage collector and the persistent-volume controller on an
 * API server without them (an {@link EmbeddedKubernetes}), for one namespace. Driven by informers, never by
 * polling:
 * <ul>
 *   <li>a VirtualMachine whose {@code spec.runStrategy} is {@code Always}, {@code RerunOnFailure} or
 *       {@code Once} ({@code Manual}: after a {@code Start} in {@code status.stateChangeRequests}) gets a
 *       VirtualMachineInstance of the same name (labels from {@code spec.template.metadata.labels}, owned by
 *       the VM, phase {@code Running}, {@code Ready}) and status {@code created}, {@code ready},
 *       {@code printableStatus: Running}, by way of {@code Starting}; while a claim it mounts is missing or
 *       unbound it shows {@code ErrorPvcNotFound} or {@code WaitingForVolumeBinding} instead;</li>
 *   <li>a {@code Halted} VM loses its VMI: {@code ready: false}, {@code printableStatus: Stopped};</li>
 *   <li>each VMI has a {@code virt-launcher} pod; a running VMI can be ended ({@link #end}) as a guest
 *       power-off, a crash, an OOM kill, an eviction or a lost node, and is then deleted and perhaps started
 *       again as its VM's run strategy says ({@code RerunOnFailure}: only after a failure);</li>
 *   <li>objects of the namespace whose owners are all VirtualMachines that no longer exist (by uid) are
 *       deleted: VMIs, claims, DataVolumes, Secrets, ConfigMaps, Services, NetworkPolicies;</li>
 *   <li>a volume without a claim is {@code Available}; a claim naming a volume is bound to it; when the claim
 *       goes, a {@code Retain} volume becomes {@code Released} (until its {@code claimRef} is removed) and a
 *       {@code Delete} volume is deleted;</li>
 *   <li>a running VMI has a screen, served as KubeVirt's {@code vnc} subresource by
 *       {@link EmbeddedKubernetes#serveConsoles} (an RFB server drawing a test picture, one viewer at a time).</li>
 * </ul>
 * Tests can make starts fail ({@link #failNextStart}, {@link #unschedulable}, {@link #crashLoop}) and wait for
 * the simulator to settle ({@link #isIdle()}, {@link #addListener}). It writes through the client it is given: give it a client of its
 * own so that its requests do not mix with the requests under test.
 */
public final class KubeVirtSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubeVirtSimulator.class);

    /** A default message per failure status, worded like the cluster's own. */
    private static final Map<String, String> FAILURE_MESSAGES = Map.of(
            "ErrorUnschedulable", "0/1 nodes are available: 1 Insufficient memory.",
            "ErrImagePull", "Failed to pull image \"quay.io/kubevirt/virt-launcher:v1.9.0\": not found",
            "ImagePullBackOff", "Back-off pulling image \"quay.io/kubevirt/virt-launcher:v1.9.0\"",
            "ErrorPvcNotFound", "PVC not found",
            "DataVolumeError", "DataVolume import failed: unable to download the image",
            "CrashLoopBackOff", "The VirtualMachineInstance failed to start");

    /*
     * The informers' indexes, so that an event finds what it concerns without going through a whole cache
     * (each of those scans cost as much as the cluster's jobs): dependents by their owning VM's uid, claims by
     * their volume, VMs by the claims they mount.
     */
    private static final String BY_OWNER = "vm-owner-uid";
    private static final String BY_VOLUME = "volume-name";
    private static final String BY_CLAIM = "claim-name";

    private final ClusterView cluster;
    private final VirtController virtController;
    private final GarbageCollector garbageCollector;
    private final VolumeBinder volumeBinder;
    private final WorkQueue<Work> queue;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final List<Consumer<SimulatorEvent>> listeners = new CopyOnWriteArrayList<>();
    private final SimulatedGuests guests;
    private final VncDisplays displays;

    private KubeVirtSimulator(KubernetesClient client, String namespace, Clock clock, GuestSettings guestSettings) {
        this.cluster = new ClusterView(client, namespace);
        this.guests = guestSettings == null ? null : new SimulatedGuests(cluster, guestSettings, this::emit);
        this.virtController = new VirtController(cluster, clock, this::emit);
        this.garbageCollector = new GarbageCollector(cluster, this::emit);
        this.volumeBinder = new VolumeBinder(cluster, this::emit);
        this.displays = new VncDisplays(cluster, clock, new BitmapFont(), VncDisplays.CLOCK_POLL);
        this.queue = new WorkQueue<>("kubevirt-simulator-" + namespace, this::handle);
    }

    /** Starts simulating in a namespace, with the system clock. */
    public static KubeVirtSimulator start(KubernetesClient client, String namespace) {
        return start(client, namespace, Clock.systemUTC());
    }

    /**
     * Starts simulating in a namespace: fills its caches, then brings what it finds in line (a restarted
     * simulator carries on from the cluster's state).
     *
     * @param client    the client it reads and writes with (not closed by {@link #close()})
     * @param namespace the namespace of the VMs and of what they own
     * @param clock     for condition times and crash-loop back-off
     */
    public static KubeVirtSimulator start(KubernetesClient client, String namespace, Clock clock) {
        return start(client, namespace, clock, null);
    }

    /**
     * Starts simulating in a namespace, and also boots the guest of every running VMI as {@code guests} says:
     * a guest root folder written as cloud-init would, the guest agent run in it as a local process, and a
     * serial console for {@link EmbeddedKubernetes#serveConsoles} (see {@code docs/embedded-kubernetes.md}).
     * VMIs found running are booted at start (a restarted simulator starts their agents again).
     *
     * @param guests how guests are booted; null: not at all (no root, no agent, no console)
     */
    public static KubeVirtSimulator start(KubernetesClient client, String namespace, Clock clock,
                                          GuestSettings guests) {
        requireNonNull(client, "client is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(clock, "clock is null");
        KubeVirtSimulator simulator = new KubeVirtSimulator(client, namespace, clock, guests);
        try {
            simulator.inform(client);
            CompletableFuture.allOf(simulator.informers.stream().map(informer -> informer.start().toCompletableFuture())
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        simulator.queue.start();
        if (simulator.guests != null) {
            simulator.guests.start();
        }
        log.info("KubeVirt simulator (a simulation of virt-controller, garbage collection and volume binding) "
                + "runs in namespace {}", namespace);
        return simulator;
    }

    private void inform(KubernetesClient client) {
        inform(client, Kinds.VIRTUAL_MACHINE, Map.of(BY_CLAIM, VirtController::claimNames), new Handler() {
            @Override
            void changed(GenericKubernetesResource vm) {
                queue.add(new Work.Vm(vm.getMetadata().getName()));
            }

            @Override
            void gone(GenericKubernetesResource vm) {
                // A plan is for the VM of this name: a terminated job's must not meet a later VM.
                virtController.clearPlan(vm.getMetadata().getName());
                collectDependentsOf(vm.getMetadata().getUid());
            }
        });
        inform(client, Kinds.PERSISTENT_VOLUME, Map.of(), new Handler() {
            @Override
            void changed(GenericKubernetesResource volume) {
                String name = volume.getMetadata().getName();
                queue.add(new Work.Volume(name));
                for (GenericKubernetesResource claim : cluster.cachedBy(Kinds.PERSISTENT_VOLUME_CLAIM, BY_VOLUME, name)) {
                    queue.add(new Work.Claim(claim.getMetadata().getName()));
                }
            }
        });
        for (ResourceDefinitionContext kind : Kinds.COLLECTED) {
            Map<String, Function<GenericKubernetesResource, List<String>>> indexes = kind == Kinds.PERSISTENT_VOLUME_CLAIM
                    ? Map.of(BY_OWNER, KubeVirtSimulator::ownerUids, BY_VOLUME, KubeVirtSimulator::volumeName)
                    : Map.of(BY_OWNER, KubeVirtSimulator::ownerUids);
            inform(client, kind, indexes, new Handler() {
                @Override
                void changed(GenericKubernetesResource object) {
                    String name = object.getMetadata().getName();
                    if (garbageCollector.mayBeOrphan(object)) {
                        queue.add(new Work.OrphanCheck(kind, name));
                    }
                    if (kind == Kinds.VIRTUAL_MACHINE_INSTANCE) {
                        queue.add(new Work.Vm(name));
                        lookAtGuest(name);
                    } else if (kind == Kinds.PERSISTENT_VOLUME_CLAIM) {
                        queue.add(new Work.Claim(name));
                        vmsMounting(name);
                    }
                }

                @Override
                void gone(GenericKubernetesResource object) {
                    String name = object.getMetadata().getName();
                    if (kind == Kinds.VIRTUAL_MACHINE_INSTANCE) {
                        queue.add(new Work.LauncherGone(LauncherPods.nameOf(object)));
                        queue.add(new Work.Vm(name));
                        lookAtGuest(name);
                    } else if (kind == Kinds.PERSISTENT_VOLUME_CLAIM) {
                        queue.add(new Work.ClaimGone(name, object.getMetadata().getUid(),
                                Generic.string(object, "spec", "volumeName")));
                        vmsMounting(name);
                    }
                }
            });
        }
    }

    private void lookAtGuest(String vmiName) {
        displays.look(vmiName);
        if (guests != null) {
            guests.look(vmiName);
        }
    }

    private void inform(KubernetesClient client, ResourceDefinitionContext kind,
            Map<String, Function<GenericKubernetesResource, List<String>>> indexes, Handler handler) {
        SharedIndexInformer<GenericKubernetesResource> informer = kind.isNamespaceScoped()
                ? client.genericKubernetesResources(kind).inNamespace(cluster.namespace()).runnableInformer(0)
                : client.genericKubernetesResources(kind).runnableInformer(0);
        if (!indexes.isEmpty()) {
            informer.addIndexers(indexes);
        }
        informer.addEventHandler(handler);
        cluster.register(kind, informer);
        informers.add(informer);
    }

    private void collectDependentsOf(String vmUid) {
        for (ResourceDefinitionContext kind : Kinds.COLLECTED) {
            for (GenericKubernetesResource object : cluster.cachedBy(kind, BY_OWNER, vmUid)) {
                queue.add(new Work.OrphanCheck(kind, object.getMetadata().getName()));
            }
        }
    }

    private void vmsMounting(String claimName) {
        for (GenericKubernetesResource vm : cluster.cachedBy(Kinds.VIRTUAL_MACHINE, BY_CLAIM, claimName)) {
            queue.add(new Work.Vm(vm.getMetadata().getName()));
        }
    }

    private static List<String> ownerUids(GenericKubernetesResource object) {
        return Generic.virtualMachineOwners(object).stream().map(owner -> owner.getUid())
                .filter(Objects::nonNull).toList();
    }

    private static List<String> volumeName(GenericKubernetesResource claim) {
        String volume = Generic.string(claim, "spec", "volumeName");
        return volume == null ? List.of() : List.of(volume);
    }

    private void handle(Work work) {
        try {
            dispatch(work);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // The object went while the work waited; its deletion brings whatever follows from it.
            log.debug("simulator: {} is gone", work);
        }
    }

    private void dispatch(Work work) {
        if (work instanceof Work.Vm vm) {
            virtController.reconcile(vm.name());
        } else if (work instanceof Work.End end) {
            virtController.end(end.name(), end.how());
        } else if (work instanceof Work.OrphanCheck check) {
            garbageCollector.check(check.kind(), check.name());
        } else if (work instanceof Work.Volume volume) {
            volumeBinder.volumeChanged(volume.name());
        } else if (work instanceof Work.Claim claim) {
            volumeBinder.bind(claim.name());
        } else if (work instanceof Work.ClaimGone gone) {
            volumeBinder.claimGone(gone);
        } else if (work instanceof Work.LauncherGone gone) {
            cluster.delete(Kinds.POD, gone.podName());
        }
    }

    /**
     * Makes the next start of a VM fail: the VM shows {@code printableStatus} (e.g. {@code ErrorUnschedulable},
     * {@code ErrImagePull}, {@code ImagePullBackOff}, {@code DataVolumeError}) with a {@code Failure}
     * condition, and gets no VMI, until it is halted or {@link #recover recovered}. A VM running now keeps
     * running.
     */
    public void failNextStart(String vmName, String printableStatus) {
        failNextStart(vmName, printableStatus, FAILURE_MESSAGES.getOrDefault(printableStatus,
                "The virtual machine failed to start (" + printableStatus + ")"));
    }

    /** {@link #failNextStart(String, String)} with the message of the {@code Failure} condition. */
    public void failNextStart(String vmName, String printableStatus, String message) {
        requireNonNull(vmName, "vmName is null");
        requireNonNull(printableStatus, "printableStatus is null");
        requireNonNull(message, "message is null");
        if (List.of("Running", "Starting", "Stopped", "Stopping").contains(printableStatus)) {
            throw new IllegalArgumentException("not a failure status: " + printableStatus);
        }
        virtController.plan(vmName, new FailurePlan(printableStatus, message, false, false, false));
        queue.add(new Work.Vm(vmName));
    }

    /**
     * Makes the next start of a VM unschedulable, as KubeVirt v1.9 reports it when the scheduler finds no node
     * for the launcher pod: the VMI is created and stays in phase {@code Scheduling} with a condition
     * {@code PodScheduled} {@code False}, reason {@code Unschedulable} and {@code message}; its {@code virt-launcher}
     * pod stays {@code Pending} with that same condition; the VM shows {@code ErrorUnschedulable} and carries
     * the instance's condition. A VM running now keeps running. It lasts until the VM is halted (the VMI and
     * its pod go) or {@link #recover recovered}: then the scheduler places the pod and the VMI runs.
     *
     * @param message the scheduler's message, e.g. {@code 0/3 nodes are available: 3 Insufficient memory.}
     */
    public void unschedulable(String vmName, String message) {
        requireNonNull(vmName, "vmName is null");
        requireNonNull(message, "message is null");
        virtController.plan(vmName, new FailurePlan(FailurePlan.UNSCHEDULABLE, message, false, true, false));
        queue.add(new Work.Vm(vmName));
    }

    /**
     * Makes a VM crash-loop: its VMI (if running) goes, and it shows {@code CrashLoopBackOff} with
     * {@code status.startFailure} (3 failures, next try in 5 minutes) until it is halted or recovered.
     */
    public void crashLoop(String vmName) {
        requireNonNull(vmName, "vmName is null");
        virtController.plan(vmName, new FailurePlan("CrashLoopBackOff", FAILURE_MESSAGES.get("CrashLoopBackOff"),
                true, false, false));
        queue.add(new Work.Vm(vmName));
    }

    /**
     * Ends a running VMI as KubeVirt v1.9 and the kubelet report it (see {@link InstanceEnd}): the guest powered
     * off, the VM crashed, its launcher was killed for memory or evicted, or its node was lost. The VM's run
     * strategy decides what follows. A VMI that does not run is left alone.
     */
    public void end(String vmiName, InstanceEnd how) {
        requireNonNull(vmiName, "vmiName is null");
        requireNonNull(how, "how is null");
        queue.add(new Work.End(vmiName, how));
    }

    /**
     * Forgets a failure asked for a VM; a VM that should run then starts (an unschedulable one is scheduled:
     * its pending VMI runs).
     */
    public void recover(String vmName) {
        requireNonNull(vmName, "vmName is null");
        virtController.clearPlan(vmName);
        queue.add(new Work.Vm(vmName));
    }

    /**
     * Whether the simulator has nothing queued and nothing in hand right now. An event on its way from the API
     * server can still make it busy again: wait for what you expect to see, and use this to wait for the
     * simulator to settle before asserting that something does not happen.
     */
    public boolean isIdle() {
        return queue.isIdle() && (guests == null || guests.isIdle());
    }

    /** The namespace it simulates. */
    public String namespace() {
        return cluster.namespace();
    }

    /** Whether the guest of a VMI is booted and its agent process runs now. */
    public boolean guestAgentRunning(String vmiName) {
        return guests != null && guests.agentRunning(vmiName);
    }

    /** Whether the guest of a VMI is booted (its root written): its serial console can be opened. */
    public boolean guestBooted(String vmiName) {
        return guests != null && guests.booted(vmiName);
    }

    /** Whether the simulator's cache has a VMI (tests wait for it before they look at its guest). */
    boolean cachesInstance(String vmiName) {
        return cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, vmiName) != null;
    }

    /**
     * The answer to a serial console request for a VMI of this namespace (404 without guests or VMI, 409 when
     * it does not run, else a websocket); called on the API server's event loop.
     */
    MockResponse console(String vmiName) {
        if (guests == null) {
            return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,"
                    + "\"message\":\"the simulator boots no guests: no serial console\"}");
        }
        return guests.console(vmiName);
    }

    /**
     * The answer to a VNC request for a VMI of this namespace (404 without VMI, 400 when it does not run or
     * has no graphics device, 503 for {@code preserveSession} while a session is open, else a websocket
     * carrying RFB); called on the API server's event loop.
     */
    MockResponse vnc(String vmiName, boolean preserveSession) {
        return displays.open(vmiName, preserveSession);
    }

    /** Whether a VMI's screen has a VNC viewer now. */
    boolean vncSessionOpen(String vmiName) {
        return displays.hasSession(vmiName);
    }

    /** Calls a listener (on the simulator's thread; keep it quick) for everything the simulator does. */
    public void addListener(Consumer<SimulatorEvent> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Stops calling a listener. */
    public void removeListener(Consumer<SimulatorEvent> listener) {
        listeners.remove(listener);
    }

    private void emit(SimulatorEvent event) {
        log.debug("simulator: {}", event);
        for (Consumer<SimulatorEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("a simulator listener failed on {}", event, e);
            }
        }
    }

    /** Stops the informers and the worker. The client is left open. */
    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        queue.close();
        displays.close();
        if (guests != null) {
            guests.close();
        }
    }

    /** Informer callbacks reduced to "changed" and "gone". */
    private abstract static class Handler implements ResourceEventHandler<GenericKubernetesResource> {

        abstract void changed(GenericKubernetesResource object);

        void gone(GenericKubernetesResource object) {
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            changed(object);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                changed(after);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            gone(object);
        }
    }
}
