package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The objects one VM job should have, as the pure manifest function computes them. The reconciler adds the
 * VM's owner reference to every object in {@code ownedByVm}; the VM and the (cluster-scoped) volumes are owned
 * by nobody.
 *
 * <p>The objects are handed over: a reconcile that creates them completes them in place (namespace, the job's
 * labels, the owner reference, a Secret's data encoded) and sends them as they are, which spares a new job's
 * start a copy of each. Doing so again gives the same objects, so a DesiredObjects may be reconciled more than once.
 *
 * @param jobId     the job
 * @param vm        the {@code kubevirt.io/v1} VirtualMachine
 * @param ownedByVm the namespaced objects the VM owns, in the order they are to be created (claims, the
 *                  cloud-init Secret, the NetworkPolicy, the Services)
 * @param volumes   the PersistentVolumes of the job, created before anything else
 */
public record DesiredObjects(String jobId, GenericKubernetesResource vm, List<HasMetadata> ownedByVm,
                             List<PersistentVolume> volumes) {

    public DesiredObjects {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(vm, "vm is null");
        ownedByVm = List.copyOf(requireNonNull(ownedByVm, "ownedByVm is null"));
        volumes = List.copyOf(requireNonNull(volumes, "volumes is null"));
        if (!KubeVirtApi.API_VERSION.equals(vm.getApiVersion()) || !"VirtualMachine".equals(vm.getKind())) {
            throw new IllegalArgumentException("vm must be a " + KubeVirtApi.API_VERSION
                    + " VirtualMachine, got " + vm.getApiVersion() + " " + vm.getKind());
        }
        Set<String> seen = new HashSet<>();
        for (HasMetadata object : concat(vm, ownedByVm, volumes)) {
            if (object.getMetadata() == null || object.getMetadata().getName() == null
                    || object.getMetadata().getName().isBlank()) {
                throw new IllegalArgumentException("a desired " + object.getKind() + " of job " + jobId + " has no name");
            }
            if (!seen.add(object.getKind() + "/" + object.getMetadata().getName())) {
                throw new IllegalArgumentException("job " + jobId + " has two desired " + object.getKind()
                        + " objects named " + object.getMetadata().getName());
            }
        }
    }

    /** The VM's name. */
    public String vmName() {
        return vm.getMetadata().getName();
    }

    /** A copy with another run strategy on the VM ({@code Always}, {@code Halted}, ...). */
    public DesiredObjects withRunStrategy(String runStrategy) {
        GenericKubernetesResource copy = KubeVirtObjects.copy(vm);
        KubeVirtObjects.spec(copy).put("runStrategy", runStrategy);
        return new DesiredObjects(jobId, copy, ownedByVm, volumes);
    }

    private static List<HasMetadata> concat(HasMetadata vm, List<HasMetadata> owned, List<PersistentVolume> volumes) {
        List<HasMetadata> all = new java.util.ArrayList<>();
        all.add(vm);
        all.addAll(owned);
        all.addAll(volumes);
        return all;
    }
}
