package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.PrivateNetworkObjects;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the objects each private network shares among its members ({@link PrivateNetworkObjects}): they are
 * made when a member starts (create if absent; one that exists, e.g. made by UCloud's IM when the network was
 * created, is left as it is) and deleted when the last member terminates, if this plugin made them.
 *
 * <p>Members are found by their membership label {@code ucloud.dk/network-<subdomain>}: on the VirtualMachines
 * of this plugin (halted ones included: a suspended job keeps its membership) and on pods (UCloud's container
 * jobs, and virt-launcher pods). A terminating job's own VM and pods do not count.
 */
final class PrivateNetworkMembership {
    private static final Logger log = LoggerFactory.getLogger(PrivateNetworkMembership.class);
    private static final ResourceDefinitionContext VIRTUAL_MACHINES = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    private final KubernetesClient client;
    private final String namespace;
    private final PrivateNetworkObjects objects;

    PrivateNetworkMembership(KubernetesClient client, String namespace, PrivateNetworkObjects objects) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.objects = requireNonNull(objects, "objects is null");
    }

    /** Makes the shared objects of each network that lacks them; before the member's pod starts. */
    void join(Collection<PrivateNetwork> networks) {
        for (PrivateNetwork network : networks) {
            String subdomain = network.subdomain();
            String name = VmJobNames.privateNetwork(subdomain);
            Service service = client.services().inNamespace(namespace).withName(name).get();
            if (service == null) {
                service = createIfAbsent(objects.service(subdomain), () ->
                        client.services().inNamespace(namespace).resource(objects.service(subdomain)).create(),
                        () -> client.services().inNamespace(namespace).withName(name).get());
            }
            if (client.network().v1().networkPolicies().inNamespace(namespace).withName(name).get() == null) {
                NetworkPolicy policy = objects.policy(subdomain, ownerOf(service));
                createIfAbsent(policy, () -> client.network().v1().networkPolicies().inNamespace(namespace)
                        .resource(policy).create(), () -> null);
            }
        }
    }

    /** The subdomains of the networks a job's VM is a member of, from its labels. */
    static Set<String> subdomainsOf(GenericKubernetesResource vm) {
        Set<String> subdomains = new TreeSet<>();
        if (vm == null || vm.getMetadata().getLabels() == null) {
            return subdomains;
        }
        vm.getMetadata().getLabels().forEach((key, value) -> {
            if (key.startsWith(VmJobLabels.NETWORK_PREFIX) && VmJobLabels.MEMBER.equals(value)) {
                subdomains.add(key.substring(VmJobLabels.NETWORK_PREFIX.length()));
            }
        });
        return subdomains;
    }

    /**
     * After a job was terminated: deletes the shared objects of each of its networks that has no other member,
     * when this plugin made them.
     */
    void leave(String jobId, Set<String> subdomains) {
        requireNonNull(jobId, "jobId is null");
        for (String subdomain : subdomains) {
            if (hasOtherMembers(jobId, subdomain)) {
                continue;
            }
            String name = VmJobNames.privateNetwork(subdomain);
            Map<String, String> ours = PrivateNetworkObjects.labels(subdomain);
            NetworkPolicy policy = client.network().v1().networkPolicies().inNamespace(namespace).withName(name).get();
            if (policy != null && isOurs(policy, ours)) {
                client.network().v1().networkPolicies().inNamespace(namespace).withName(name).delete();
            }
            Service service = client.services().inNamespace(namespace).withName(name).get();
            if (service != null && isOurs(service, ours)) {
                client.services().inNamespace(namespace).withName(name).delete();
            }
            log.info("Private network {}: its last member (job {}) left; its shared objects are deleted", subdomain,
                    jobId);
        }
    }

    private boolean hasOtherMembers(String jobId, String subdomain) {
        String label = VmJobLabels.networkLabel(subdomain);
        boolean vms = client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(namespace)
                .withLabel(label, VmJobLabels.MEMBER).list().getItems().stream()
                .anyMatch(vm -> !isOfJob(vm, jobId));
        return vms || client.pods().inNamespace(namespace).withLabel(label, VmJobLabels.MEMBER).list().getItems()
                .stream().anyMatch(pod -> !isOfJob(pod, jobId));
    }

    private static boolean isOfJob(HasMetadata object, String jobId) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && jobId.equals(labels.get(VmJobLabels.JOB_ID));
    }

    private static boolean isOurs(HasMetadata object, Map<String, String> ours) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(ours.entrySet());
    }

    private static OwnerReference ownerOf(Service service) {
        if (service == null || service.getMetadata().getUid() == null) {
            return null;
        }
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid()).build();
    }

    /** Creates an object; one that another member made meanwhile (409) is fine, and is read instead. */
    private static <T> T createIfAbsent(HasMetadata object, java.util.function.Supplier<T> create,
                                        java.util.function.Supplier<T> read) {
        try {
            T created = create.get();
            log.info("Made {} {} of a private network", object.getKind(), object.getMetadata().getName());
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return read.get();
            }
            throw e;
        }
    }
}
