package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.SshAccess;
import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.spi.host.SshSettings;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * <p>It follows the plugin's Services with an informer (label {@code app.kubernetes.io/managed-by=ucloud-im}),
 * so it knows every port in use without listing them per job, and adds the ports it handed out that the
 * informer may not show yet. A job keeps the port of its existing SSH Service (or the one it was given);
 * otherwise it gets the lowest port that no other job's SSH Service uses. A job gives its port back when it is
 * suspended or terminated (its Service goes then).
 */
final class SshPortAllocator implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Integer> handedOut = new HashMap<>();   // guarded by this
    private SharedIndexInformer<Service> services;

    SshPortAllocator(KubernetesClient client, String namespace) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** Lists the Services and follows them; returns once the first list is in. */
    void start() {
        if (services != null) {
            throw new IllegalStateException("the SSH port allocator has started already");
        }
        services = client.services().inNamespace(namespace)
                .withLabel(VmJobLabels.MANAGED_BY, VmJobLabels.MANAGER)
                .runnableInformer(0);
        services.start().toCompletableFuture().join();
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
        for (Service service : sshServices()) {
            String owner = service.getMetadata().getLabels().get(VmJobLabels.JOB_ID);
            if (!jobId.equals(owner)) {
                portOf(service).ifPresent(taken::add);
            }
        }
        for (int port = access.portMin(); port < access.portMax(); port++) {
            if (!taken.contains(port)) {
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

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
    }

    private java.util.Optional<Service> serviceOf(String jobId) {
        if (services == null || !VmJobNames.isDnsLabel(jobId)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(
                services.getStore().getByKey(namespace + "/" + new VmJobNames(jobId).sshService()));
    }

    private List<Service> sshServices() {
        if (services == null) {
            return List.of();
        }
        return services.getStore().list().stream().filter(service -> {
            Map<String, String> labels = service.getMetadata().getLabels();
            String job = labels == null ? null : labels.get(VmJobLabels.JOB_ID);
            return job != null && VmJobNames.isDnsLabel(job)
                    && new VmJobNames(job).sshService().equals(service.getMetadata().getName());
        }).toList();
    }

    private static OptionalInt portOf(Service service) {
        List<ServicePort> ports = service.getSpec() == null ? null : service.getSpec().getPorts();
        return ports == null || ports.isEmpty() || ports.get(0).getPort() == null ? OptionalInt.empty()
                : OptionalInt.of(ports.get(0).getPort());
    }
}
