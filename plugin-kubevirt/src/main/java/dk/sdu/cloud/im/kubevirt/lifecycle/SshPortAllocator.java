package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.SshAccess;
import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.informers.Followed;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.spi.host.SshSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Hands out the ports of jobs' SSH Services ({@code j-<job>-ssh}) from the configured range
 * {@code [portMin, portMax)}.
 *
 * <p>It follows the plugin's Services with an informer (label {@code app.kubernetes.io/managed-by=ucloud-im}; the
 * object cache's, from the plugin's {@link SharedInformers}), so it knows every port in use without listing them
 * per job, and adds the ports it handed out that the informer may not show yet. It holds nothing to close: the
 * informer is closed with the plugin's others. A job keeps the port of its existing SSH Service (or the one it was
 * given); otherwise it gets the lowest port that no other job's SSH Service uses. A job gives its port back when it
 * is suspended or terminated (its Service goes then).
 */
final class SshPortAllocator {
    /** The plugin's Services (as the object cache follows them). */
    static final Followed FOLLOWED = Followed.labelled(ResourceDefinitionContext.fromResourceType(Service.class),
            VmJobLabels.MANAGED_BY, VmJobLabels.MANAGER);

    /** The informer's index of SSH Services by port: kept as each Service is stored, so allocating decodes none. */
    private static final String BY_SSH_PORT = "ssh-port";

    private final SharedInformers informers;
    private final String namespace;
    private final Map<String, Integer> handedOut = new HashMap<>();   // guarded by this
    private SharedIndexInformer<GenericKubernetesResource> services;

    /** An allocator on the plugin's shared informers (closed by whoever made them, not by the allocator). */
    SshPortAllocator(SharedInformers informers) {
        this.informers = requireNonNull(informers, "informers is null");
        this.namespace = informers.namespace();
    }

    /** Lists the Services and follows them (unless listed already); returns once the first list is in. */
    void start() {
        if (services != null) {
            throw new IllegalStateException("the SSH port allocator has started already");
        }
        services = informers.informer(FOLLOWED);
        services.addIndexers(Map.of(BY_SSH_PORT, SshPortAllocator::sshPortIndex));
        informers.start();
    }

    /**
     * How the job's owner reaches it over SSH, for its RUNNING update: when it has a port and the provider a
     * public address.
     */
    Optional<String> announcement(String jobId, SshSettings settings) {
        OptionalInt port = portOf(jobId);
        Optional<String> address = settings.publicAddress();
        if (port.isEmpty() || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("SSH: Connected! Available at: ssh ucloud@" + address.get() + " -p " + port.getAsInt());
    }

    /** The job's SSH port: the one handed out to it, else the one of its SSH Service. */
    synchronized OptionalInt portOf(String jobId) {
        requireNonNull(jobId, "jobId is null");
        Integer given = handedOut.get(jobId);
        if (given != null) {
            return OptionalInt.of(given);
        }
        return serviceOf(jobId).map(SshPortAllocator::portOf).orElse(OptionalInt.empty());
    }

    /**
     * A port for the job's SSH Service: the one it has when the range allows it, else the lowest free one.
     *
     * @return empty when every port of the range is taken
     */
    synchronized OptionalInt allocate(String jobId, SshAccess access) {
        requireNonNull(access, "access is null");
        OptionalInt current = portOf(jobId);
        if (current.isPresent() && access.allows(current.getAsInt())) {
            handedOut.put(jobId, current.getAsInt());
            return current;
        }
        Set<Integer> taken = new HashSet<>();
        handedOut.forEach((job, port) -> {
            if (!job.equals(jobId)) {
                taken.add(port);
            }
        });
        String own = VmJobNames.isDnsLabel(jobId) ? namespace + "/" + new VmJobNames(jobId).sshService() : null;
        for (int port = access.portMin(); port < access.portMax(); port++) {
            if (!taken.contains(port) && !heldByAnotherService(port, own)) {
                handedOut.put(jobId, port);
                return OptionalInt.of(port);
            }
        }
        handedOut.remove(jobId);
        return OptionalInt.empty();
    }

    /** The job no longer holds a port (its SSH Service is gone or going). */
    synchronized void release(String jobId) {
        handedOut.remove(jobId);
    }

    /** Whether the informer shows an SSH Service of the job. */
    boolean hasService(String jobId) {
        return serviceOf(jobId).isPresent();
    }

    private java.util.Optional<GenericKubernetesResource> serviceOf(String jobId) {
        if (services == null || !VmJobNames.isDnsLabel(jobId)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(
                services.getStore().getByKey(namespace + "/" + new VmJobNames(jobId).sshService()));
    }

    /** Whether the informer shows an SSH Service other than {@code own} (a store key, or null) on the port. */
    private boolean heldByAnotherService(int port, String own) {
        if (services == null) {
            return false;
        }
        return services.getIndexer().indexKeys(BY_SSH_PORT, Integer.toString(port)).stream()
                .anyMatch(key -> !key.equals(own));
    }

    /** The port of a job's SSH Service ({@code j-<job>-ssh}, labelled with its job); none for other Services. */
    private static List<String> sshPortIndex(GenericKubernetesResource service) {
        Map<String, String> labels = service.getMetadata().getLabels();
        String job = labels == null ? null : labels.get(VmJobLabels.JOB_ID);
        if (job == null || !VmJobNames.isDnsLabel(job)
                || !new VmJobNames(job).sshService().equals(service.getMetadata().getName())) {
            return List.of();
        }
        OptionalInt port = portOf(service);
        return port.isPresent() ? List.of(Integer.toString(port.getAsInt())) : List.of();
    }

    private static OptionalInt portOf(GenericKubernetesResource service) {
        return service.get("spec", "ports", 0, "port") instanceof Number port ? OptionalInt.of(port.intValue())
                : OptionalInt.empty();
    }
}
