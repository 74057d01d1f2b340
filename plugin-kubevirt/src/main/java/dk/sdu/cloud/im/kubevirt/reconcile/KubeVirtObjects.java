package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;

import java.util.List;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the reconciler adds to the facts of a VM job's objects, whose one home is the manifest and admission
 * packages ({@link KubeVirtApi}, {@link VmJobLabels}, {@link VmJobNames}): the marks it keeps, and which
 * Services exist only while the VM runs.
 */
final class KubeVirtObjects {

    /** Labels and annotations under this prefix are the plugin's: one it no longer wants is removed. */
    static final String OWN_PREFIX = "ucloud.dk/";
    /**
     * The mark of an object that UCloud's own IM made and this plugin adopted. The reconciler keeps it (it is
     * never a difference) and keeps an adopted volume's or claim's spec as it is.
     */
    static final String ADOPTED = "ucloud.dk/adopted";

    private KubeVirtObjects() {
    }

    /**
     * The Services of a job that exist only while its VM runs (SSH, public IPs): kept away while it is halted,
     * and deleted when it runs without wanting them (SSH turned off, the last public IP detached).
     */
    static List<String> whileRunningServiceNames(String jobId) {
        VmJobNames names = new VmJobNames(jobId);
        return List.of(names.sshService(), names.publicIpService());
    }

    static GenericKubernetesResource copy(GenericKubernetesResource vm) {
        return new GenericKubernetesResourceBuilder(vm).build();
    }

    /** The VM's spec as a mutable map (a copy replaces the builder's shared one). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource vm) {
        Object spec = vm.getAdditionalProperties().get("spec");
        Map<String, Object> copy = spec instanceof Map ? new LinkedHashMap<>((Map<String, Object>) spec) : new LinkedHashMap<>();
        vm.setAdditionalProperty("spec", copy);
        return copy;
    }
}
