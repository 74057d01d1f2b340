package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The guests of a namespace's running VMIs, as virt-handler and the guests' own boot would make them: for
 * each VMI in phase {@code Running} a {@link GuestRoot} (under {@code <rootsFolder>/<namespace>/<name>}) booted
 * from its cloud-init and volumes, its {@link GuestAgent}, and serial consoles on request. A VMI that stops
 * running loses its agent and consoles; a VMI that is gone loses its root too. Closing ends every agent and
 * console and keeps the roots: a simulator started again over the same cluster boots the VMIs it finds
 * running (their agents start again) and removes the roots of VMIs that went in between.
 *
 * <p>Guests are brought in line one at a time on a queue of their own (booting writes files, stopping waits
 * for processes), never on the simulator's controller thread.
 */
final class SimulatedGuests implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedGuests.class);

    private final ClusterView cluster;
    private final GuestSettings settings;
    private final Consumer<SimulatorEvent> events;
    private final Path namespaceRoots;
    private final WorkQueue<String> queue;
    private final ScheduledExecutorService timer;
    private final ExecutorService consolePool;
    private final Map<String, Guest> guests = new ConcurrentHashMap<>();

    /** A booted guest: the VMI it belongs to (by uid), its root, agent, metrics service and open consoles. */
    private record Guest(String uid, GuestRoot root, GuestAgent agent, GuestAgent metrics, Set<SerialConsole> consoles) {
    }

    SimulatedGuests(ClusterView cluster, GuestSettings settings, Consumer<SimulatorEvent> events) {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.events = requireNonNull(events, "events is null");
        this.namespaceRoots = settings.rootsFolder().resolve(cluster.namespace());
        this.queue = new WorkQueue<>("kubevirt-simulator-guests-" + cluster.namespace(), this::reconcile);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("kubevirt-simulator-guest-timer"));
        this.consolePool = Executors.newCachedThreadPool(daemon("kubevirt-simulator-serial-console"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Starts bringing guests in line (the caches are filled): roots of VMIs that are gone go first. */
    void start() {
        removeRootsOfGoneInstances();
        queue.start();
    }

    /** A VMI changed or went: look at its guest again. */
    void look(String name) {
        queue.add(name);
    }

    boolean isIdle() {
        return queue.isIdle();
    }

    private void reconcile(String name) {
        GenericKubernetesResource vmi = cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, name);
        boolean runs = vmi != null && vmi.getMetadata().getDeletionTimestamp() == null
                && "Running".equals(Generic.string(vmi, "status", "phase"));
        Guest guest = guests.get(name);
        if (guest != null && (!runs || !guest.uid().equals(vmi.getMetadata().getUid()))) {
            shutDown(name, guest);
            guest = null;
        }
        if (runs && guest == null) {
            boot(name, vmi);
        }
        if (vmi == null) {
            deleteRoot(name, new GuestRoot(namespaceRoots.resolve(name)));
        }
    }

    private void boot(String name, GenericKubernetesResource vmi) {
        GuestRoot root = new GuestRoot(namespaceRoots.resolve(name));
        Optional<Path> work;
        try {
            work = root.boot(GuestBoot.of(vmi, cluster));
        } catch (IOException | RuntimeException e) {
            log.warn("simulated guest {}: cannot write its root {}: {}", name, root.path(), e.toString());
            events.accept(new SimulatorEvent(SimulatorEvent.Type.GUEST_BOOT_FAILED, "VirtualMachineInstance", name,
                    e.toString()));
            return;
        }
        GuestAgent agent = new GuestAgent(name, "agent", List.of("--simulated-guest", root.path().toString()),
                root.agentLog(), root, settings, timer, change -> agentChanged(name, change), System::nanoTime);
        // The metrics service writes into the job's work folder (what the IM reads), as the real guest's does
        // through its /work mount; this machine's /proc stands in for the guest's.
        List<String> metricsArguments = new java.util.ArrayList<>(List.of("metrics", "--simulated-guest",
                root.path().toString()));
        work.ifPresent(folder -> metricsArguments.addAll(List.of("--work-folder", folder.toString())));
        GuestAgent metrics = new GuestAgent(name, "metrics service", metricsArguments, root.metricsLog(), root,
                settings, timer, change -> { }, System::nanoTime);
        guests.put(name, new Guest(vmi.getMetadata().getUid(), root, agent, metrics, ConcurrentHashMap.newKeySet()));
        log.info("simulated guest {}: booted in {}", name, root.path());
        events.accept(new SimulatorEvent(SimulatorEvent.Type.GUEST_BOOTED, "VirtualMachineInstance", name,
                root.path().toString()));
        agent.start();
        metrics.start();
    }

    private void agentChanged(String name, GuestAgent.Change change) {
        SimulatorEvent.Type type = switch (change) {
            case STARTED -> SimulatorEvent.Type.GUEST_AGENT_STARTED;
            case LAUNCHER_MISSING -> SimulatorEvent.Type.GUEST_AGENT_MISSING;
            case EXITED -> SimulatorEvent.Type.GUEST_AGENT_EXITED;
            case GAVE_UP -> SimulatorEvent.Type.GUEST_AGENT_GAVE_UP;
            case STOPPED -> SimulatorEvent.Type.GUEST_AGENT_STOPPED;
        };
        String detail = change == GuestAgent.Change.LAUNCHER_MISSING
                ? "no agent launcher at " + settings.agentLauncher() + ": the guest runs without its agent until it is there"
                : "";
        if (change == GuestAgent.Change.LAUNCHER_MISSING || change == GuestAgent.Change.GAVE_UP) {
            String message = change == GuestAgent.Change.GAVE_UP
                    ? "the guest agent exited too often; it is not restarted again" : detail;
            try {
                cluster.recordEvent(Kinds.VIRTUAL_MACHINE_INSTANCE, name, "Warning",
                        change == GuestAgent.Change.GAVE_UP ? "GuestAgentGaveUp" : "GuestAgentLauncherMissing", message);
            } catch (RuntimeException e) {
                log.debug("simulated guest {}: cannot record an event: {}", name, e.toString());
            }
        }
        events.accept(new SimulatorEvent(type, "VirtualMachineInstance", name, detail));
    }

    private void shutDown(String name, Guest guest) {
        guests.remove(name, guest);
        guest.consoles().forEach(SerialConsole::hangUp);
        guest.agent().stop();
        guest.metrics().stop();
        log.info("simulated guest {}: shut down", name);
        events.accept(new SimulatorEvent(SimulatorEvent.Type.GUEST_SHUT_DOWN, "VirtualMachineInstance", name, ""));
    }

    private void deleteRoot(String name, GuestRoot root) {
        if (!Files.exists(root.path())) {
            return;
        }
        try {
            root.delete();
            log.info("simulated guest {}: the VMI is gone; its root {} is removed", name, root.path());
            events.accept(new SimulatorEvent(SimulatorEvent.Type.GUEST_REMOVED, "VirtualMachineInstance", name, ""));
        } catch (IOException e) {
            log.warn("simulated guest {}: cannot remove its root {}: {}", name, root.path(), e.toString());
        }
    }

    private void removeRootsOfGoneInstances() {
        if (!Files.isDirectory(namespaceRoots)) {
            return;
        }
        List<Path> roots;
        try (Stream<Path> children = Files.list(namespaceRoots)) {
            roots = children.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            log.warn("cannot list the simulated guests' roots in {}: {}", namespaceRoots, e.toString());
            return;
        }
        for (Path root : roots) {
            String name = root.getFileName().toString();
            if (cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, name) == null) {
                deleteRoot(name, new GuestRoot(root));
            }
        }
    }

    /**
     * The answer to a console request for a VMI, as virt-api gives it: 404 when there is no such VMI, 409
     * when it is not running (or its guest has not booted yet), else the websocket of a new serial line.
     * Runs on the server's event loop: it only looks.
     */
    MockResponse console(String name) {
        GenericKubernetesResource vmi = cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, name);
        if (vmi == null) {
            return status(404, "NotFound", "virtualmachineinstances.kubevirt.io \"" + name + "\" not found");
        }
        Guest guest = guests.get(name);
        if (guest == null || !"Running".equals(Generic.string(vmi, "status", "phase"))
                || vmi.getMetadata().getDeletionTimestamp() != null) {
            return status(409, "Conflict", "VirtualMachineInstance " + name + " is not running");
        }
        SerialConsole[] console = new SerialConsole[1];
        console[0] = new SerialConsole(name, guest.root(), consolePool, () -> guest.consoles().remove(console[0]));
        guest.consoles().add(console[0]);
        return new MockResponse().withWebSocketUpgrade(console[0]);
    }

    /** An error answer with a Kubernetes {@code Status} body, as the API server gives it. */
    static MockResponse status(int code, String reason, String message) {
        String body = Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(code)
                .withReason(reason).withMessage(message).withNewMetadata().endMetadata().build());
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    boolean booted(String name) {
        return guests.containsKey(name);
    }

    /** Whether a VMI's guest is booted and its agent runs. */
    boolean agentRunning(String name) {
        Guest guest = guests.get(name);
        return guest != null && guest.agent().running();
    }

    /** Ends every console and agent; roots stay for a simulator started again. */
    @Override
    public void close() {
        queue.close();
        // All at once: each agent may take up to the stop timeout, and the IM's shutdown is bounded.
        CompletableFuture.allOf(guests.entrySet().stream()
                .map(entry -> CompletableFuture.runAsync(() -> shutDown(entry.getKey(), entry.getValue()), consolePool))
                .toArray(CompletableFuture[]::new)).join();
        timer.shutdownNow();
        consolePool.shutdown();
        try {
            consolePool.awaitTermination(settings.stopTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
