package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Kubernetes' garbage collector, for objects owned by VirtualMachines: an object all of whose owners are
 * VirtualMachines that no longer exist (by uid) is deleted. Like the real one, it asks the server about an
 * owner before it deletes a dependent, so a dependent created just after its owner is never taken for an
 * orphan because a cache lags. Objects with any owner of another kind are left alone.
 */
final class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    private final ClusterView cluster;
    private final Consumer<SimulatorEvent> events;

    GarbageCollector(ClusterView cluster, Consumer<SimulatorEvent> events) {
        this.cluster = cluster;
        this.events = events;
    }

    /** Whether an object may be an orphan by what the caches say (cheap; decides whether to check). */
    boolean mayBeOrphan(GenericKubernetesResource object) {
        List<OwnerReference> owners = Generic.virtualMachineOwners(object);
        if (owners.isEmpty() || owners.size() != object.getMetadata().getOwnerReferences().size()) {
            return false;
        }
        return owners.stream().noneMatch(owner -> {
            GenericKubernetesResource vm = cluster.cached(Kinds.VIRTUAL_MACHINE, owner.getName());
            return vm != null && owner.getUid().equals(vm.getMetadata().getUid());
        });
    }

    void check(ResourceDefinitionContext kind, String name) {
        GenericKubernetesResource object = cluster.cached(kind, name);
        if (object == null || object.getMetadata().getDeletionTimestamp() != null || !mayBeOrphan(object)) {
            return;
        }
        for (OwnerReference owner : Generic.virtualMachineOwners(object)) {
            GenericKubernetesResource vm = cluster.live(Kinds.VIRTUAL_MACHINE, owner.getName());
            if (vm != null && owner.getUid().equals(vm.getMetadata().getUid())) {
                return;
            }
        }
        if (cluster.delete(kind, name)) {
            String owner = object.getMetadata().getOwnerReferences().get(0).getName();
            events.accept(new SimulatorEvent(SimulatorEvent.Type.GARBAGE_COLLECTED, kind.getKind(), name,
                    "owner VirtualMachine " + owner + " is gone"));
            log.info("simulated garbage collector: deleted {} {} (owner VirtualMachine {} is gone)",
                    kind.getKind(), name, owner);
        }
    }
}
