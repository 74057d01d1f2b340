package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.admission.GuestLayout;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitDocuments;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRenderer;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRequest;
import dk.sdu.cloud.im.kubevirt.cloudinit.MountsFileRenderer;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Computes the desired objects of a VM job from its plan: a pure function, the same inputs give equal
 * objects, and nothing talks to a cluster.
 */
public final class VmJobObjectsFactory {
    /**
     * The capacity stated on a folder's PV and PVC. Nominal: neither a hostPath nor a static CSI volume
     * enforces it, and the claim binds its volume by {@code volumeName}, so any equal value works; 1 GiB
     * keeps quota accounting from counting shared folders as large disks.
     */
    public static final long FOLDER_CAPACITY_GIB = 1;
    /** The key of the user data in the cloud-init Secret (KubeVirt's {@code cloudInitNoCloud.secretRef}). */
    public static final String USER_DATA_KEY = "userdata";

    private final Supplier<String> agentEndpoint;
    private final String namespace;
    private final VirtualMachineFactory virtualMachines;
    private final VolumeObjects volumes;
    private final NetworkObjects network;
    private final IngressObjects ingresses;
    private final CloudInitRenderer cloudInitRenderer = new CloudInitRenderer();
    private final MountsFileRenderer mountsFileRenderer = new MountsFileRenderer();

    /**
     * @param config    the backend's configuration (agent endpoint, pod-level resources, links' Ingresses)
     * @param storage   the selected storage backend, which describes every PV
     * @param namespace the namespace jobs run in
     */
    public VmJobObjectsFactory(KubeVirtConfig config, VmDiskStorage storage, String namespace) {
        this(config, storage, namespace, requireNonNull(config, "config is null")::agentEndpoint);
    }

    /**
     * @param config        the backend's configuration (pod-level resources, links' Ingresses)
     * @param storage       the selected storage backend, which describes every PV
     * @param namespace     the namespace jobs run in
     * @param agentEndpoint the URL the guests' agents dial, asked at each build (a port the host picked is known
     *                      only once the endpoint listens)
     */
    public VmJobObjectsFactory(KubeVirtConfig config, VmDiskStorage storage, String namespace,
                               Supplier<String> agentEndpoint) {
        requireNonNull(config, "config is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.agentEndpoint = requireNonNull(agentEndpoint, "agentEndpoint is null");
        this.virtualMachines = new VirtualMachineFactory(namespace, config.podLevelResources());
        this.volumes = new VolumeObjects(storage, namespace);
        this.network = new NetworkObjects(namespace);
        this.ingresses = new IngressObjects(namespace, config.ingress());
    }

    /**
     * The desired objects of a job.
     *
     * @throws IllegalArgumentException when an SSH port is given outside the configured range
     * @throws IllegalStateException    when the storage backend describes a volume against its contract
     */
    public VmJobObjects build(VmJobPlan plan, VmJobRuntimeInputs inputs) {
        requireNonNull(plan, "plan is null");
        requireNonNull(inputs, "inputs is null");
        Map<String, String> labels = VmJobLabels.objectLabels(plan.jobId());

        VolumeObjects.Pair disk = volumes.pair(new VolumeRequest(plan.names().diskVolume(), plan.jobId(), 0,
                plan.diskSizeGiB(), plan.jobFolder(), false), labels);
        List<PersistentVolume> folderVolumes = new ArrayList<>();
        List<PersistentVolumeClaim> folderClaims = new ArrayList<>();
        for (VmMount mount : plan.mounts()) {
            VolumeObjects.Pair pair = volumes.pair(new VolumeRequest(plan.names().mountVolume(mount.suffix()),
                    plan.jobId(), 0, FOLDER_CAPACITY_GIB, mount.relativeFolder(), mount.readOnly()), labels);
            folderVolumes.add(pair.volume());
            folderClaims.add(pair.claim());
        }

        CloudInitDocuments cloudInit = cloudInitRenderer.render(new CloudInitRequest(plan.jobId(), plan.hostname(),
                agentEndpoint.get(), inputs.tokens(), inputs.authorizedKeys(), plan.mounts(VmMount.Kind.UCLOUD)));

        Optional<Service> sshService = Optional.empty();
        if (inputs.power() == PowerState.RUNNING && plan.ssh().isPresent() && inputs.sshPort().isPresent()) {
            sshService = Optional.of(network.sshService(plan, plan.ssh().get(), inputs.sshPort().getAsInt()));
        }

        boolean running = inputs.power() == PowerState.RUNNING;
        Optional<Service> publicIpService = running ? network.publicIpService(plan) : Optional.empty();

        String mountsFile = mountsFileRenderer.render(plan.mounts(VmMount.Kind.USER_FOLDER));
        return new VmJobObjects(
                virtualMachines.virtualMachine(plan, inputs.power()),
                disk.volume(), disk.claim(), folderVolumes, folderClaims,
                secret(plan, labels, cloudInit),
                network.networkPolicy(plan, sshService.isPresent(), publicIpService.isPresent(),
                        ingresses.controllerRule(plan).stream().toList()),
                network.service(plan),
                sshService,
                publicIpService,
                ingresses.ingresses(plan),
                cloudInit,
                new JobFolderFile(plan.jobFolder() + "/" + GuestLayout.MOUNTS_FILE_IN_JOB_FOLDER, mountsFile));
    }

    private Secret secret(VmJobPlan plan, Map<String, String> labels, CloudInitDocuments cloudInit) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(USER_DATA_KEY, base64(cloudInit.userData()));
        data.put("networkdata", base64(cloudInit.networkData()));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(plan.names().cloudInitSecret())
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
