package dk.sdu.cloud.im.kubevirt.admission;

import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The names of a VM job's Kubernetes objects, as UCloud/IM names them (rank 0 only). Every name is meant to
 * be a DNS-1123 label; {@link VmJobAdmission} rejects job ids for which one is not.
 *
 * @param jobId the job's id
 */
public record VmJobNames(String jobId) {
    /** The longest DNS-1123 label. */
    public static final int MAX_LABEL_LENGTH = 63;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public VmJobNames {
        requireNonNull(jobId, "jobId is null");
    }

    /** The VirtualMachine, and the PV and PVC of its disk: {@code vm-<job>-0}. */
    public String virtualMachine() {
        return "vm-" + jobId + "-0";
    }

    /** The PV and PVC that hold the folder holding {@code disk.img}: the VM's own name. */
    public String diskVolume() {
        return virtualMachine();
    }

    /** The PV and PVC of a mounted folder: {@code vm-<job>-0-<suffix>}. */
    public String mountVolume(String suffix) {
        return virtualMachine() + "-" + requireNonNull(suffix, "suffix is null");
    }

    /** The Secret with the cloud-init documents: {@code vm-<job>-0-cloud-init}. */
    public String cloudInitSecret() {
        return virtualMachine() + "-cloud-init";
    }

    /** The NetworkPolicy: {@code policy-<job>}. */
    public String networkPolicy() {
        return "policy-" + jobId;
    }

    /** The job's own Service, also its hostname and subdomain by default: {@code j-<job>}. */
    public String service() {
        return "j-" + jobId;
    }

    /** The SSH Service: {@code j-<job>-ssh}. */
    public String sshService() {
        return service() + "-ssh";
    }

    /** The Service of the job's public IPs: {@code j-<job>-ip}. */
    public String publicIpService() {
        return service() + "-ip";
    }

    /** The Ingress of a public link: {@code j-<job>-link-<link id>}. */
    public String linkIngress(String linkId) {
        return service() + "-link-" + requireNonNull(linkId, "linkId is null");
    }

    /**
     * The headless Service and the NetworkPolicy of a private network, shared by its members: the network's
     * subdomain, as UCloud's IM names them (so its container jobs and these VMs share them).
     */
    public static String privateNetwork(String subdomain) {
        return requireNonNull(subdomain, "subdomain is null");
    }

    /** Every name that does not depend on the mounts. */
    public List<String> fixedNames() {
        return List.of(virtualMachine(), cloudInitSecret(), networkPolicy(), service(), sshService(),
                publicIpService());
    }

    /** Whether a string is a DNS-1123 label: at most 63 lowercase letters, digits and inner dashes. */
    public static boolean isDnsLabel(String value) {
        return value != null && value.length() <= MAX_LABEL_LENGTH && DNS_LABEL.matcher(value).matches();
    }
}
