package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.job.NameAndVersion;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A VM job that {@link VmJobAdmission} accepted: every input the backend needs, resolved and validated.
 * Everything that follows (disk preparation, desired objects, cloud-init) is computed from this record.
 *
 * @param jobId          the job's id, safe in DNS labels
 * @param names          the names of the job's Kubernetes objects
 * @param application    the application's name and version (the golden image cache key)
 * @param cpu            vCPUs of the product (what the guest sees)
 * @param cpuMillis      the CPU the VM's pod requests and is limited to ({@link VmCpuMillis#of})
 * @param memoryGiB      memory of the product, GiB
 * @param diskSizeGiB    the size of the VM's disk, GiB, within {@link VmDiskSize#MIN_GIB}..{@link VmDiskSize#MAX_GIB}
 * @param imageUrl       the http(s) URL of the application's disk image
 * @param imageSha256    the image's SHA-256 (lowercase hex), when the application states one
 * @param hostname       the guest's host name: the job's {@code hostname} or {@code j-<job>}
 * @param jobFolder      the job's folder, relative to the provider file system's mount point; holds
 *                       {@code disk.img}, {@code config/} ({@code /etc/ucloud}) and {@code work/} ({@code /work})
 * @param mounts         the UCloud mounts ({@code opt}, {@code etc}, {@code work}) then the user's folders
 * @param ssh            how the job is reached over SSH, when SSH applies
 * @param forwardedPorts extra TCP ports of the {@code j-<job>} Service (job label
 *                       {@code ucloud.dk/service-forward-tcp}), ascending, without 4
 * @param networking     how the job is reached besides SSH: its network resources (public IPs, links, private
 *                       networks)
 */
public record VmJobPlan(
        String jobId,
        VmJobNames names,
        NameAndVersion application,
        int cpu,
        VmCpuMillis cpuMillis,
        int memoryGiB,
        int diskSizeGiB,
        URI imageUrl,
        Optional<String> imageSha256,
        String hostname,
        String jobFolder,
        List<VmMount> mounts,
        Optional<SshAccess> ssh,
        List<Integer> forwardedPorts,
        VmNetworking networking
) {
    public VmJobPlan {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(names, "names is null");
        requireNonNull(application, "application is null");
        requireNonNull(cpuMillis, "cpuMillis is null");
        requireNonNull(imageUrl, "imageUrl is null");
        requireNonNull(imageSha256, "imageSha256 is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(jobFolder, "jobFolder is null");
        requireNonNull(ssh, "ssh is null");
        mounts = List.copyOf(mounts);
        forwardedPorts = List.copyOf(forwardedPorts);
        requireNonNull(networking, "networking is null");
    }

    /**
     * The VM's DNS subdomain ({@code spec.subdomain}): the first private network's subdomain, else the job's
     * Service name, as UCloud's IM sets it.
     */
    public String subdomain() {
        return networking.privateNetworks().isEmpty() ? names.service()
                : networking.privateNetworks().get(0).subdomain();
    }

    /** Whether the job gets an SSH Service. */
    public boolean sshEnabled() {
        return ssh.isPresent();
    }

    /** The mounts of one kind, in plan order. */
    public List<VmMount> mounts(VmMount.Kind kind) {
        return mounts.stream().filter(m -> m.kind() == kind).toList();
    }
}
