package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The objects a private network shares among its members, named and shaped as UCloud's IM makes them
 * ({@code k8s/shared/private_network.go}) so that its container jobs and these VMs are members of the same
 * network: the headless Service {@code <subdomain>} (members resolve as {@code <hostname>.<subdomain>}) and the
 * NetworkPolicy {@code <subdomain>} that lets members talk to each other, in and out.
 *
 * <p>They belong to the network, not to a job: no job labels, no owner but the Service (the policy is owned by
 * the Service, as UCloud's IM has it, so deleting the Service collects it).
 */
public final class PrivateNetworkObjects {
    /** On the shared objects this plugin made: the subdomain of their network. */
    public static final String NETWORK_LABEL = "ucloud.dk/privateNetwork";
    /** UCloud's IM's placeholder port: a Service needs one, members are reached on any port. */
    static final int DUMMY_PORT = 80;

    private final String namespace;

    /** @param namespace where jobs run */
    public PrivateNetworkObjects(String namespace) {
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** The labels on the shared objects this plugin makes for a network. */
    public static Map<String, String> labels(String subdomain) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(VmJobLabels.MANAGED_BY, VmJobLabels.MANAGER);
        labels.put(NETWORK_LABEL, subdomain);
        return labels;
    }

    /** The headless Service {@code <subdomain>} selecting the network's members. */
    public Service service(String subdomain) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(VmJobNames.privateNetwork(subdomain))
                .withNamespace(namespace)
                .withLabels(labels(subdomain))
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withSelector(VmJobLabels.networkSelector(subdomain))
                .addNewPort().withName("dummy").withProtocol("TCP").withPort(DUMMY_PORT)
                .withTargetPort(new IntOrString(DUMMY_PORT)).endPort()
                .endSpec()
                .build();
    }

    /**
     * The NetworkPolicy {@code <subdomain>}: members accept traffic from members and may send to members. Other
     * policies that select a member (its job's {@code policy-<job>}) add to this, never take away.
     *
     * @param owner the network's Service, or null when it has no uid yet (a render)
     */
    public NetworkPolicy policy(String subdomain, OwnerReference owner) {
        LabelSelector members = new LabelSelectorBuilder()
                .withMatchLabels(VmJobLabels.networkSelector(subdomain))
                .build();
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(VmJobNames.privateNetwork(subdomain))
                .withNamespace(namespace)
                .withLabels(labels(subdomain))
                .withOwnerReferences(owner == null ? List.of() : List.of(owner))
                .endMetadata()
                .withNewSpec()
                .withPodSelector(members)
                .addNewIngress().addNewFrom().withPodSelector(members).endFrom().endIngress()
                .addNewEgress().addNewTo().withPodSelector(members).endTo().endEgress()
                .withPolicyTypes("Ingress", "Egress")
                .endSpec()
                .build();
    }
}
