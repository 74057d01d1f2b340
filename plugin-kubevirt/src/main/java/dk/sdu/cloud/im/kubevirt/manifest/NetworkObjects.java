package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.admission.SshAccess;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The job's NetworkPolicy and Services (research sections 1.3 and 1.4). The {@code j-<job>} Service exposes the
 * dummy port 4, the ports of the job label {@code ucloud.dk/service-forward-tcp} and the ports the job's public
 * links lead to.
 *
 * <p>The policy lets the job talk to itself, in and out, and opens TCP 22 from anywhere when the job has an
 * SSH Service. {@code policyTypes} is explicit ({@code Ingress}, {@code Egress}), the value the API server
 * would default to for these rules; other egress comes from the namespace's own policies, as in UCloud.
 */
final class NetworkObjects {
    /** UCloud/IM's dummy port of the {@code j-<job>} Service. */
    static final int DUMMY_PORT = 4;
    static final int GUEST_SSH_PORT = 22;

    private final String namespace;

    NetworkObjects(String namespace) {
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** @param extraRules further ingress rules (the ingress controller's, for public links), appended */
    NetworkPolicy networkPolicy(VmJobPlan plan, boolean sshOpen, List<NetworkPolicyIngressRule> extraRules) {
        LabelSelector self = new LabelSelectorBuilder()
                .withMatchLabels(VmJobLabels.policySelector(plan.names()))
                .build();
        List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
        ingress.add(new NetworkPolicyIngressRuleBuilder().addNewFrom().withPodSelector(self).endFrom().build());
        if (sshOpen) {
            ingress.add(new NetworkPolicyIngressRuleBuilder()
                    .addNewFrom().withNewIpBlock().withCidr("0.0.0.0/0").endIpBlock().endFrom()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(GUEST_SSH_PORT)).endPort()
                    .build());
        }
        ingress.addAll(extraRules);
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(plan.names().networkPolicy())
                .withNamespace(namespace)
                .withLabels(VmJobLabels.objectLabels(plan.jobId()))
                .endMetadata()
                .withNewSpec()
                .withPodSelector(self)
                .withIngress(ingress)
                .addNewEgress().addNewTo().withPodSelector(self).endTo().endEgress()
                .withPolicyTypes("Ingress", "Egress")
                .endSpec()
                .build();
    }

    Service service(VmJobPlan plan) {
        List<ServicePort> ports = new ArrayList<>();
        ports.add(port("p-" + DUMMY_PORT, DUMMY_PORT, DUMMY_PORT));
        // The label's ports, then the ports public links lead to (their Ingresses' backend), each once.
        TreeSet<Integer> extra = new TreeSet<>(plan.forwardedPorts());
        extra.addAll(plan.networking().linkPorts());
        extra.remove(DUMMY_PORT);
        extra.forEach(port -> ports.add(port("p-" + port, port, port)));
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(plan.names().service())
                .withNamespace(namespace)
                .withLabels(VmJobLabels.objectLabels(plan.jobId()))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(VmJobLabels.serviceSelector(plan.jobId()))
                .withPorts(ports)
                .endSpec()
                .build();
    }

    Service sshService(VmJobPlan plan, SshAccess ssh, int port) {
        if (!ssh.allows(port)) {
            throw new IllegalArgumentException("SSH port " + port + " is outside [" + ssh.portMin() + ", "
                    + ssh.portMax() + ")");
        }
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(plan.names().sshService())
                .withNamespace(namespace)
                .withLabels(VmJobLabels.objectLabels(plan.jobId()))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withExternalIPs(ssh.externalIp())
                .withSelector(VmJobLabels.serviceSelector(plan.jobId()))
                .withPorts(port("ssh", port, GUEST_SSH_PORT))
                .endSpec()
                .build();
    }

    private static ServicePort port(String name, int port, int targetPort) {
        return new ServicePortBuilder()
                .withName(name)
                .withProtocol("TCP")
                .withPort(port)
                .withTargetPort(new IntOrString(targetPort))
                .build();
    }
}
