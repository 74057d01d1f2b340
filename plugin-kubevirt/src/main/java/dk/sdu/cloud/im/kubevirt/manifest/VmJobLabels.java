package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The labels and annotations on a VM job's objects, as UCloud/IM names them. */
public final class VmJobLabels {
    /** The job id, on every object's metadata and on the VM template (so on the VMI and its pod). */
    public static final String JOB_ID = "ucloud.dk/jobId";
    /** The rank ({@code "0"}), on the VM template. */
    public static final String RANK = "ucloud.dk/rank";
    /** The VM's name, on the VM template: the NetworkPolicy selects the pod by it. */
    public static final String VM_NAME = "ucloud.dk/vmName";
    /** Who manages the object, on every object's metadata. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The value of {@link #MANAGED_BY}. */
    public static final String MANAGER = "ucloud-im";
    /** UCloud/IM's VM annotation asking for pod-level resources ({@code "true"} when configured). */
    public static final String POD_LEVEL_RESOURCES = "ucloud.dk/podLevelResources";
    /**
     * The lifecycle step the plugin means a job to be in, on its VM ({@link #LIFECYCLE_STARTING},
     * {@link #LIFECYCLE_RUNNING}, {@link #LIFECYCLE_SUSPENDED}, {@link #LIFECYCLE_POWERED_OFF}) and, once it is being terminated, on its disk's
     * PersistentVolume ({@link #LIFECYCLE_TERMINATING}): what an IM that starts again resumes from.
     */
    public static final String LIFECYCLE = "ucloud.dk/lifecycle";
    /** The VM is kept halted while its disk is prepared; it is switched on once the disk is ready. */
    public static final String LIFECYCLE_STARTING = "starting";
    /** The VM is meant to run. */
    public static final String LIFECYCLE_RUNNING = "running";
    /** The VM is halted because the job is suspended. */
    public static final String LIFECYCLE_SUSPENDED = "suspended";
    /** The VM is halted because its guest powered itself off (the job is suspended by that). */
    public static final String LIFECYCLE_POWERED_OFF = "powered-off";
    /** The job is being terminated (on the disk's PersistentVolume, which outlives the VM). */
    public static final String LIFECYCLE_TERMINATING = "terminating";
    /** The job as Core sent it to start (JSON, without Core's updates), on the VM: needed to resume a start. */
    public static final String JOB = "ucloud.dk/job";
    /**
     * The job's folder relative to the provider file system's mount point, on a terminating job's disk
     * PersistentVolume: where an IM that starts again finds the {@code disk.img} still to be moved to the trash.
     */
    public static final String JOB_FOLDER = "ucloud.dk/jobFolder";
    /**
     * {@code "true"} on an object that UCloud's own IM made and this plugin adopted (gave its labels): the
     * plugin keeps the object's immutable spec as it is and deletes it only for a job it terminated.
     */
    public static final String ADOPTED = "ucloud.dk/adopted";
    /**
     * The prefix of a private network's membership label, {@code ucloud.dk/network-<subdomain>: "true"}, as
     * UCloud's IM labels its members (containers and VMs alike): the network's Service and NetworkPolicy
     * select it.
     */
    public static final String NETWORK_PREFIX = "ucloud.dk/network-";
    /** The value of a membership label. */
    public static final String MEMBER = "true";
    /**
     * The cluster address of the job's Service {@code j-<job>} last reported to Core as the job label
     * {@link #SERVICE_IP_ADDRESS}, on that Service: an IM that starts again does not send it again unchanged, and
     * a Service made anew (a new address) has none. Outside {@code ucloud.dk/}, whose keys the reconciler
     * removes when the desired object lacks them.
     */
    public static final String REPORTED_SERVICE_IP = "im.ucloud.dk/reported-service-ip";
    /** The job label at Core that holds the cluster address of the job's Service, as UCloud's IM names it. */
    public static final String SERVICE_IP_ADDRESS = "ucloud.dk/service-ip-address";

    private VmJobLabels() {
    }

    /** The labels on every object of a job. */
    public static Map<String, String> objectLabels(String jobId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(JOB_ID, jobId);
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    /** The labels of the VM template, which KubeVirt copies to the VMI and its virt-launcher pod. */
    public static Map<String, String> templateLabels(VmJobNames names) {
        return templateLabels(names, List.of());
    }

    /**
     * The labels of the VM template of a job that joins private networks: one membership label per network
     * ({@link #networkLabel}).
     */
    public static Map<String, String> templateLabels(VmJobNames names, List<String> networkSubdomains) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(JOB_ID, names.jobId());
        labels.put(RANK, "0");
        labels.put(VM_NAME, names.virtualMachine());
        networkSubdomains.forEach(subdomain -> labels.put(networkLabel(subdomain), MEMBER));
        return labels;
    }

    /** The membership label of the private network with this subdomain: {@code ucloud.dk/network-<subdomain>}. */
    public static String networkLabel(String subdomain) {
        return NETWORK_PREFIX + requireNonNull(subdomain, "subdomain is null");
    }

    /** The selector of a private network's members: {@code ucloud.dk/network-<subdomain>: "true"}. */
    public static Map<String, String> networkSelector(String subdomain) {
        return Map.of(networkLabel(subdomain), MEMBER);
    }

    /** The selector of the job's Services: its rank-0 pod. */
    public static Map<String, String> serviceSelector(String jobId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(JOB_ID, jobId);
        labels.put(RANK, "0");
        return labels;
    }

    /** The selector of the job's pod in its NetworkPolicy. */
    public static Map<String, String> policySelector(VmJobNames names) {
        return Map.of(VM_NAME, names.virtualMachine());
    }
}
