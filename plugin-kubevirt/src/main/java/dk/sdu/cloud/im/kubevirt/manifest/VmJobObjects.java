package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitDocuments;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The desired state of one VM job: its Kubernetes objects, and the file it needs in its job folder.
 *
 * <p>Owner references are not set: the reconciler adds the VM as owner once the VM exists and has a uid.
 * Every object here except the VM itself and the PersistentVolumes (cluster-scoped, deleted by the plugin
 * once Released) must be owned by the VM: {@link #ownedByVirtualMachine()}.
 *
 * <p>The fabric8 objects are mutable classes; treat them as read-only and copy one before changing it
 * (e.g. {@code new ServiceBuilder(service).build()}).
 *
 * @param virtualMachine   the {@code kubevirt.io/v1} VirtualMachine {@code vm-<job>-0}
 * @param diskVolume       the PV {@code vm-<job>-0} of the folder holding {@code disk.img}
 * @param diskClaim        the PVC {@code vm-<job>-0} bound to it
 * @param folderVolumes    a PV {@code vm-<job>-0-<mount>} per mount, in plan order
 * @param folderClaims     the PVCs bound to them, in the same order
 * @param cloudInitSecret  the Secret {@code vm-<job>-0-cloud-init} (keys {@code userdata}, {@code networkdata})
 * @param networkPolicy    the NetworkPolicy {@code policy-<job>}
 * @param service          the Service {@code j-<job>}
 * @param sshService       the Service {@code j-<job>-ssh}, when SSH applies and a port was given
 * @param publicIpService  the Service {@code j-<job>-ip}, while the VM runs with public IPs that open ports
 * @param ingresses        an Ingress {@code j-<job>-link-<link>} per public link, in the plan's order
 * @param cloudInit        the documents inside the Secret, as text
 * @param mountsFile       the agent's list of user folders, to be written (at every start) to
 *                         {@code <job folder>/config/mounts.yml} before the VM starts
 */
public record VmJobObjects(
        GenericKubernetesResource virtualMachine,
        PersistentVolume diskVolume,
        PersistentVolumeClaim diskClaim,
        List<PersistentVolume> folderVolumes,
        List<PersistentVolumeClaim> folderClaims,
        Secret cloudInitSecret,
        NetworkPolicy networkPolicy,
        Service service,
        Optional<Service> sshService,
        Optional<Service> publicIpService,
        List<Ingress> ingresses,
        CloudInitDocuments cloudInit,
        JobFolderFile mountsFile
) {
    public VmJobObjects {
        requireNonNull(virtualMachine, "virtualMachine is null");
        requireNonNull(diskVolume, "diskVolume is null");
        requireNonNull(diskClaim, "diskClaim is null");
        folderVolumes = List.copyOf(folderVolumes);
        folderClaims = List.copyOf(folderClaims);
        requireNonNull(cloudInitSecret, "cloudInitSecret is null");
        requireNonNull(networkPolicy, "networkPolicy is null");
        requireNonNull(service, "service is null");
        requireNonNull(sshService, "sshService is null");
        requireNonNull(publicIpService, "publicIpService is null");
        ingresses = List.copyOf(ingresses);
        requireNonNull(cloudInit, "cloudInit is null");
        requireNonNull(mountsFile, "mountsFile is null");
    }

    /** The disk's PV, then the folders' PVs. */
    public List<PersistentVolume> persistentVolumes() {
        List<PersistentVolume> volumes = new ArrayList<>();
        volumes.add(diskVolume);
        volumes.addAll(folderVolumes);
        return List.copyOf(volumes);
    }

    /** The disk's PVC, then the folders' PVCs. */
    public List<PersistentVolumeClaim> persistentVolumeClaims() {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        claims.add(diskClaim);
        claims.addAll(folderClaims);
        return List.copyOf(claims);
    }

    /**
     * Every object, owner first: the VM, the PVs, the PVCs, the Secret, the NetworkPolicy, the Services, the
     * Ingresses.
     * Creating them in this order lets each owned object carry its owner reference from its creation, so
     * a crash between two steps leaves nothing that the VM's deletion would not collect. The VM's pod waits
     * (Pending) until its claims and Secret exist; a reconciler that would rather not have KubeVirt see
     * that can create the VM {@link PowerState#HALTED} first and switch it to running last.
     */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>();
        all.add(virtualMachine);
        all.addAll(persistentVolumes());
        all.addAll(ownedByVirtualMachine());
        return List.copyOf(all);
    }

    /** The objects the VM must own (everything but the VM and the PVs), in {@link #all()} order. */
    public List<HasMetadata> ownedByVirtualMachine() {
        List<HasMetadata> owned = new ArrayList<>(persistentVolumeClaims());
        owned.add(cloudInitSecret);
        owned.add(networkPolicy);
        owned.add(service);
        owned.addAll(whileRunning());
        // Links stay while the VM is halted (they answer 503 until it runs again): not while-running objects.
        owned.addAll(ingresses);
        return List.copyOf(owned);
    }

    /**
     * The objects that exist only while the VM runs (the SSH and public IP Services): the factory gives them for a
     * running VM only, and the reconciler keeps them away from a halted one.
     */
    public List<HasMetadata> whileRunning() {
        List<HasMetadata> objects = new ArrayList<>();
        sshService.ifPresent(objects::add);
        publicIpService.ifPresent(objects::add);
        return List.copyOf(objects);
    }
}
