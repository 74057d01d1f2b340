package dk.sdu.cloud.im.kubevirt.reconcile;

import java.util.List;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coordinates, names and labels of a VM job's objects that the reconciler relies on. (The manifest package
 * has the same facts; the two meet when the backend is put together.)
 */
final class KubeVirtObjects {

    static final String VM_API_VERSION = "kubevirt.io/v1";
    static final ResourceDefinitionContext VIRTUAL_MACHINES = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "ucloud-im";
    static final String JOB_ID = "ucloud.dk/jobId";
    /** Labels and annotations under this prefix are the plugin's: one it no longer wants is removed. */
    static final String OWN_PREFIX = "ucloud.dk/";
    /**
     * The mark of an object that UCloud's own IM made and this plugin adopted. The reconciler keeps it (it is
     * never a difference) and keeps an adopted volume's or claim's spec as it is.
     */
    static final String ADOPTED = "ucloud.dk/adopted";

    private KubeVirtObjects() {
    }

    static String vmName(String jobId) {
        return "vm-" + jobId + "-0";
    }

    static String sshServiceName(String jobId) {
        return "j-" + jobId + "-ssh";
    }

    static String publicIpServiceName(String jobId) {
        return "j-" + jobId + "-ip";
    }

    /**
     * The Services of a job that exist only while its VM runs (SSH, public IPs): kept away while it is halted,
     * and deleted when it runs without wanting them (SSH turned off, the last public IP detached).
     */
    static List<String> whileRunningServiceNames(String jobId) {
        return List.of(sshServiceName(jobId), publicIpServiceName(jobId));
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
