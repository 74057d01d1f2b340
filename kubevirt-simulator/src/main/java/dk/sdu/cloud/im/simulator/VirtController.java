package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dk.sdu.cloud.im.simulator.Generic.string;

/**
 * The part of virt-controller that a VM job sees: a VirtualMachine whose run strategy runs it gets a running,
 * ready VirtualMachineInstance (with its {@code virt-launcher} pod) and a status that says so; a halted one
 * loses its VMI. A VMI that ended ({@code Succeeded} or {@code Failed}) is deleted, and started again as
 * KubeVirt v1.9 does: under {@code Always} always; under {@code RerunOnFailure} only after a failure (by a
 * {@code Start} request in {@code status.stateChangeRequests}), and otherwise only when a start is asked for
 * (such a request, or a run strategy that differs from the {@code status.runStrategy} it last acted on).
 * Runs on the work queue's thread only.
 */
final class VirtController {

    private static final Logger log = LoggerFactory.getLogger(VirtController.class);
    static final String NODE_NAME = "embedded-node";
    /** KubeVirt's longest crash-loop back-off. */
    private static final Duration CRASH_LOOP_BACKOFF = Duration.ofMinutes(5);
    /** The phase of a VMI whose launcher pod waits for the scheduler. */
    static final String SCHEDULING = "Scheduling";

    private final ClusterView cluster;
    private final Clock clock;
    private final Consumer<SimulatorEvent> events;
    private final Map<String, FailurePlan> failures = new ConcurrentHashMap<>();
    /** VMs whose start failed (a failure plan): KubeVirt keeps trying, so a recovery starts them. */
    private final Set<String> owedStarts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger addresses = new AtomicInteger();
    private final LauncherPods pods;

    VirtController(ClusterView cluster, Clock clock, Consumer<SimulatorEvent> events) {
        this.cluster = cluster;
        this.clock = clock;
        this.events = events;
        this.pods = new LauncherPods(cluster, clock);
    }

    /** Ends a running VMI as {@code how} says (its pod first, as the kubelet reports before KubeVirt does). */
    void end(String name, InstanceEnd how) {
        GenericKubernetesResource vmi = cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, name);
        if (vmi == null || !"Running".equals(string(vmi, "status", "phase"))) {
            log.info("simulated virt-controller: VMI {} does not run; {} ignored", name, how);
            return;
        }
        pods.ended(vmi, how);
        Map<String, Object> status = new LinkedHashMap<>(Generic.map(vmi, "status"));
        status.put("phase", how == InstanceEnd.POWER_OFF ? "Succeeded" : "Failed");
        if (how == InstanceEnd.NODE_LOSS) {
            status.put("reason", "NodeUnresponsive");
        }
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "Ready");
        ready.put("status", "False");
        ready.put("reason", "PodTerminating");
        ready.put("lastTransitionTime", clock.instant().toString());
        status.put("conditions", List.of(ready));
        cluster.set(Kinds.VIRTUAL_MACHINE_INSTANCE, name, "status", status);
        events.accept(new SimulatorEvent(SimulatorEvent.Type.VMI_ENDED, "VirtualMachineInstance", name, how.name()));
        log.info("simulated virt-controller: VMI {} ended ({})", name, how);
    }

    void plan(String vmName, FailurePlan plan) {
        failures.put(vmName, plan);
    }

    void clearPlan(String vmName) {
        failures.remove(vmName);
    }

    void reconcile(String name) {
        GenericKubernetesResource vm = cluster.cached(Kinds.VIRTUAL_MACHINE, name);
        if (vm == null || vm.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        GenericKubernetesResource vmi = cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, name);
        String phase = vmi == null ? null : string(vmi, "status", "phase");
        if (vmi != null && vmi.getMetadata().getDeletionTimestamp() == null
                && ("Succeeded".equals(phase) || "Failed".equals(phase))) {
            // virt-controller deletes an ended VMI; after a failure, RerunOnFailure asks for a start of its own.
            deleteVmi(vmi, "it ended (" + phase + ")");
            boolean restart = "Failed".equals(phase) && "RerunOnFailure".equals(runStrategy(vm));
            if (restart) {
                // Kept here too: a look at the VM from a cache that lags must not take the request back.
                owedStarts.add(name);
            }
            writeStatus(vm, status(vm, "Stopped", false, false, null, restart));
            return;   // the VMI's deletion brings the next look
        }
        if (shouldRun(vm, vmi)) {
            start(vm, vmi);
        } else {
            stop(vm, vmi);
        }
    }

    private boolean shouldRun(GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        switch (runStrategy(vm)) {
            case "Always":
            case "Once":
                return true;
            case "RerunOnFailure":
                // As virt-controller's shouldStartRerunOnFailure: a VMI that runs keeps running; none starts
                // without a Start request or a switch to this strategy (a guest that powered off stays off).
                return vmi != null || startRequested(vm) || !runStrategy(vm).equals(string(vm, "status", "runStrategy"))
                        || owedStarts.contains(vm.getMetadata().getName());
            case "Manual": {
                // virt-api's start/stop subresources leave requests in the status; the last one wins.
                List<Map<String, Object>> requests = Generic.listOfMaps(vm, "status", "stateChangeRequests");
                if (!requests.isEmpty()) {
                    return "Start".equals(requests.get(requests.size() - 1).get("action"));
                }
                return vmi != null;
            }
            default:
                return false;
        }
    }

    private static boolean startRequested(GenericKubernetesResource vm) {
        return Generic.listOfMaps(vm, "status", "stateChangeRequests").stream()
                .anyMatch(request -> "Start".equals(request.get("action")));
    }

    static String runStrategy(GenericKubernetesResource vm) {
        String strategy = string(vm, "spec", "runStrategy");
        if (strategy != null) {
            return strategy;
        }
        Object running = vm.get("spec", "running");
        return Boolean.TRUE.equals(running) ? "Always" : "Halted";
    }

    private void start(GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        String name = vm.getMetadata().getName();
        FailurePlan plan = failures.get(name);
        if (vmi != null) {
            if (plan != null && plan.crashLoop()) {
                deleteVmi(vmi, "it crashed");
                fail(vm, plan);
                return;
            }
            if (SCHEDULING.equals(string(vmi, "status", "phase"))) {
                if (plan != null && plan.unschedulable()) {
                    writeStatus(vm, unschedulable(vm, plan));
                    return;
                }
                schedule(vmi);
            }
            writeStatus(vm, running(vm));
            return;
        }
        if (plan != null && plan.unschedulable()) {
            startUnschedulable(vm, plan);
            return;
        }
        if (plan != null) {
            fail(vm, plan);
            return;
        }
        String volumeProblem = volumeProblem(vm);
        if (volumeProblem != null) {
            Map<String, Object> waiting = status(vm, volumeProblem, false, false, null);
            // No instance yet, so the strategy is not acted on: virt-controller records it as it creates one.
            // Recorded here, a RerunOnFailure VM switched on from Halted would owe no start once its volumes
            // bind, and would stay Stopped as if its guest had powered off.
            String last = string(vm, "status", "runStrategy");
            if (last == null) {
                waiting.remove("runStrategy");
            } else {
                waiting.put("runStrategy", last);
            }
            if (writeStatus(vm, waiting) != vm) {
                events.accept(new SimulatorEvent(SimulatorEvent.Type.VM_WAITING_FOR_VOLUME, "VirtualMachine", name,
                        volumeProblem));
            }
            return;
        }
        GenericKubernetesResource starting = writeStatus(vm, status(vm, "Starting", false, false, null));
        events.accept(new SimulatorEvent(SimulatorEvent.Type.VM_STARTING, "VirtualMachine", name, ""));
        owedStarts.remove(name);
        try {
            GenericKubernetesResource created = cluster.create(Kinds.VIRTUAL_MACHINE_INSTANCE, instanceOf(vm));
            pods.create(created, NODE_NAME);
            events.accept(new SimulatorEvent(SimulatorEvent.Type.VMI_CREATED, "VirtualMachineInstance", name, ""));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        writeStatus(starting, running(vm));
        events.accept(new SimulatorEvent(SimulatorEvent.Type.VM_RUNNING, "VirtualMachine", name, ""));
        log.info("simulated virt-controller: VirtualMachine {} runs", name);
    }

    /**
     * A start whose launcher pod finds no node: the VMI is made but stays {@code Scheduling}, as KubeVirt
     * leaves it while the scheduler retries.
     */
    private void startUnschedulable(GenericKubernetesResource vm, FailurePlan plan) {
        String name = vm.getMetadata().getName();
        failures.put(name, plan.attemptedOnce());
        owedStarts.remove(name);
        GenericKubernetesResource starting = writeStatus(vm, status(vm, "Starting", false, false, null));
        events.accept(new SimulatorEvent(SimulatorEvent.Type.VM_STARTING, "VirtualMachine", name, ""));
        try {
            GenericKubernetesResource created = cluster.create(Kinds.VIRTUAL_MACHINE_INSTANCE,
                    instanceOf(vm, plan.message()));
            pods.createPending(created, podScheduledFalse(plan.message()));
            events.accept(new SimulatorEvent(SimulatorEvent.Type.VMI_CREATED, "VirtualMachineInstance", name, ""));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        writeStatus(starting, unschedulable(vm, plan));
        events.accept(new SimulatorEvent(SimulatorEvent.Type.VM_START_FAILED, "VirtualMachine", name,
                plan.printableStatus()));
        log.info("simulated virt-controller: VirtualMachine {} cannot be scheduled: {}", name, plan.message());
    }

    /** The scheduler found room: the pending pod is bound to the node and runs, and so does its VMI. */
    private void schedule(GenericKubernetesResource vmi) {
        String name = vmi.getMetadata().getName();
        pods.scheduled(vmi, NODE_NAME);
        cluster.set(Kinds.VIRTUAL_MACHINE_INSTANCE, name, "status", runningInstanceStatus());
        log.info("simulated virt-controller: VMI {} was scheduled", name);
    }

    /** The VM's status while its instance cannot be scheduled: KubeVirt copies the instance's condition. */
    private Map<String, Object> unschedulable(GenericKubernetesResource vm, FailurePlan plan) {
        Map<String, Object> status = status(vm, plan.printableStatus(), true, false, null);
        @SuppressWarnings("unchecked")
        List<Object> conditions = (List<Object>) status.get("conditions");
        conditions.add(podScheduledFalse(plan.message()));
        return status;
    }

    /** The condition the scheduler leaves on a pod it finds no node for (and KubeVirt copies to the VMI). */
    private Map<String, Object> podScheduledFalse(String message) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", "PodScheduled");
        condition.put("status", "False");
        condition.put("reason", "Unschedulable");
        condition.put("message", message);
        condition.put("lastProbeTime", null);
        condition.put("lastTransitionTime", clock.instant().toString());
        return condition;
    }

    private void fail(GenericKubernetesResource vm, FailurePlan plan) {
        String name = vm.getMetadata().getName();
        failures.put(name, plan.attemptedOnce());
        owedStarts.add(name);
        Map<String, Object> startFailure = null;
        if (plan.crashLoop()) {
            startFailure = new LinkedHashMap<>();
            startFailure.put("consecutiveFailCount", 3);
            startFailure.put("retryAfterTimestamp", clock.instant().plus(CRASH_LOOP_BACKOFF).toString());
        }
        Map<String, Object> status = status(vm, plan.printableStatus(), false, false, startFailure);
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("type", "Failure");
        failure.put("status", "True");
        failure.put("reason", plan.printableStatus());
        failure.put("message", plan.message());
        failure.put("lastTransitionTime", clock.instant().toString());
        @SuppressWarnings("unchecked")
        List<Object> conditions = (List<Object>) status.get("conditions");
        conditions.add(failure);
        if (writeStatus(vm, status) != vm) {
            events.accept(new SimulatorEvent(SimulatorEvent.Type.VM_START_FAILED, "VirtualMachine", name,
                    plan.printableStatus()));
            log.info("simulated virt-controller: VirtualMachine {} failed to start: {}", name, plan.printableStatus());
        }
    }

    private void stop(GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        String name = vm.getMetadata().getName();
        failures.computeIfPresent(name, (key, plan) -> plan.attempted() ? null : plan);
        if (!"RerunOnFailure".equals(runStrategy(vm))) {
            owedStarts.remove(name);
        }
        if (vmi != null) {
            deleteVmi(vmi, "the VM is halted");
        }
        if (writeStatus(vm, status(vm, "Stopped", false, false, null)) != vm) {
            events.accept(new SimulatorEvent(SimulatorEvent.Type.VM_STOPPED, "VirtualMachine", name, ""));
            log.info("simulated virt-controller: VirtualMachine {} stopped", name);
        }
    }

    private void deleteVmi(GenericKubernetesResource vmi, String why) {
        String name = vmi.getMetadata().getName();
        pods.delete(vmi);
        if (cluster.delete(Kinds.VIRTUAL_MACHINE_INSTANCE, name)) {
            events.accept(new SimulatorEvent(SimulatorEvent.Type.VMI_DELETED, "VirtualMachineInstance", name, why));
        }
    }

    /** Why the VM cannot start yet because of a claim it names, as KubeVirt says it; null when it can. */
    private String volumeProblem(GenericKubernetesResource vm) {
        for (Map<String, Object> volume : Generic.listOfMaps(vm, "spec", "template", "spec", "volumes")) {
            String claim = string(volume, "persistentVolumeClaim", "claimName");
            if (claim == null) {
                continue;
            }
            GenericKubernetesResource pvc = cluster.cached(Kinds.PERSISTENT_VOLUME_CLAIM, claim);
            if (pvc == null) {
                return "ErrorPvcNotFound";
            }
            if (!"Bound".equals(string(pvc, "status", "phase"))) {
                return "WaitingForVolumeBinding";
            }
        }
        return null;
    }

    static List<String> claimNames(GenericKubernetesResource vm) {
        List<String> claims = new ArrayList<>();
        for (Map<String, Object> volume : Generic.listOfMaps(vm, "spec", "template", "spec", "volumes")) {
            String claim = string(volume, "persistentVolumeClaim", "claimName");
            if (claim != null) {
                claims.add(claim);
            }
        }
        return claims;
    }

    private Map<String, Object> running(GenericKubernetesResource vm) {
        return status(vm, "Running", true, true, null);
    }

    private Map<String, Object> status(GenericKubernetesResource vm, String printableStatus, boolean created,
                                       boolean ready, Map<String, Object> startFailure) {
        return status(vm, printableStatus, created, ready, startFailure, false);
    }

    /** A VM status; {@code requestStart}: with a {@code Start} request, as RerunOnFailure adds after a failure. */
    private Map<String, Object> status(GenericKubernetesResource vm, String printableStatus, boolean created,
                                       boolean ready, Map<String, Object> startFailure, boolean requestStart) {
        Map<String, Object> status = new LinkedHashMap<>();
        // A status written consumes the requests it acted on, as virt-controller pops them.
        if (requestStart) {
            status.put("stateChangeRequests", List.of(Map.of("action", "Start")));
        }
        status.put("created", created);
        status.put("ready", ready);
        status.put("printableStatus", printableStatus);
        // As virt-controller: the strategy it acted on is recorded from the first instance on, so that a VM
        // that never ran still owes its first start.
        String last = string(vm, "status", "runStrategy");
        if (created || last != null && !last.isEmpty()) {
            status.put("runStrategy", runStrategy(vm));
        }
        Map<String, Object> readyCondition = new LinkedHashMap<>();
        readyCondition.put("type", "Ready");
        readyCondition.put("status", ready ? "True" : "False");
        readyCondition.put("lastTransitionTime", clock.instant().toString());
        List<Object> conditions = new ArrayList<>();
        conditions.add(readyCondition);
        status.put("conditions", conditions);
        if (startFailure != null) {
            status.put("startFailure", startFailure);
        }
        if (vm.getMetadata().getGeneration() != null) {
            status.put("observedGeneration", vm.getMetadata().getGeneration());
            status.put("desiredGeneration", vm.getMetadata().getGeneration());
        }
        return status;
    }

    /**
     * Writes a status unless the VM already shows it (timestamps aside). Returns the updated VM, or the VM
     * passed in (the same instance) when nothing was written.
     */
    private GenericKubernetesResource writeStatus(GenericKubernetesResource vm, Map<String, Object> status) {
        Map<String, Object> current = Generic.map(vm, "status");
        if (sameIgnoringTimes(current, status)) {
            return vm;
        }
        return cluster.set(Kinds.VIRTUAL_MACHINE, vm.getMetadata().getName(), "status", status);
    }

    private static boolean sameIgnoringTimes(Object current, Object wanted) {
        if (current instanceof Map<?, ?> currentMap && wanted instanceof Map<?, ?> wantedMap) {
            if (!currentMap.keySet().equals(wantedMap.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> entry : wantedMap.entrySet()) {
                String key = entry.getKey().toString();
                boolean time = key.endsWith("Time") || key.endsWith("Timestamp");
                if (!time && !sameIgnoringTimes(currentMap.get(key), entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (current instanceof List<?> currentList && wanted instanceof List<?> wantedList) {
            if (currentList.size() != wantedList.size()) {
                return false;
            }
            for (int i = 0; i < currentList.size(); i++) {
                if (!sameIgnoringTimes(currentList.get(i), wantedList.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (current instanceof Number a && wanted instanceof Number b) {
            return a.longValue() == b.longValue();
        }
        return Objects.equals(current, wanted);
    }

    private GenericKubernetesResource instanceOf(GenericKubernetesResource vm) {
        return instanceOf(vm, null);
    }

    /**
     * A new VMI of a VM: running on the node, or, with the scheduler's message, in phase {@code Scheduling} with
     * its pod's {@code PodScheduled} condition (no node, no address yet).
     */
    private GenericKubernetesResource instanceOf(GenericKubernetesResource vm, String unschedulable) {
        String name = vm.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>();
        Generic.map(vm, "spec", "template", "metadata", "labels").forEach((key, value) -> labels.put(key, String.valueOf(value)));
        Map<String, Object> status;
        if (unschedulable == null) {
            labels.put("kubevirt.io/nodeName", NODE_NAME);
            status = runningInstanceStatus();
        } else {
            status = new LinkedHashMap<>();
            status.put("phase", SCHEDULING);
            status.put("conditions", List.of(podScheduledFalse(unschedulable)));
        }

        return new GenericKubernetesResourceBuilder()
                .withApiVersion(Kinds.KUBEVIRT_API_VERSION).withKind("VirtualMachineInstance")
                .withNewMetadata()
                .withName(name).withNamespace(cluster.namespace()).withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(Kinds.KUBEVIRT_API_VERSION)
                        .withKind("VirtualMachine").withName(name).withUid(vm.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .addToAdditionalProperties("spec", Generic.map(vm, "spec", "template", "spec"))
                .addToAdditionalProperties("status", status)
                .build();
    }

    /** The status of a VMI running on the node, ready, with a new pod address. */
    private Map<String, Object> runningInstanceStatus() {
        String address = address(addresses.incrementAndGet());
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "Ready");
        ready.put("status", "True");
        ready.put("lastTransitionTime", clock.instant().toString());
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("name", "default");
        network.put("ipAddress", address);
        network.put("ipAddresses", List.of(address));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Running");
        status.put("nodeName", NODE_NAME);
        status.put("conditions", List.of(ready));
        status.put("interfaces", List.of(network));
        return status;
    }

    /**
     * The n-th VMI address: a loopback address of {@code 127.77.0.0/16} (skipping each /24's network and gateway
     * addresses), so that a process on this machine standing in for the guest can listen on it, a fixed port
     * (8080) of one VMI never clashing with another's, and an IM routing a public link to it reaches it.
     */
    static String address(int n) {
        int host = n % 64_000;
        return "127.77." + (host / 250) + "." + (host % 250 + 2);
    }
}
