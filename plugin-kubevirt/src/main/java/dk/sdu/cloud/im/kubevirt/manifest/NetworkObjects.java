package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.admission.SshAccess;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.admission.VmNetworking;
import dk.sdu.cloud.im.kubevirt.admission.VmPublicIp;
import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The job's NetworkPolicy and Services (research sections 1.3 and 1.4). The {@code j-<job>} Service exposes the
 * dummy port 4, the ports of the job label {@code ucloud.dk/service-forward-tcp} and the ports the job's public
 * links lead to.
 *
 * <p>The policy lets the job talk to itself, in and out, and opens TCP 22 from anywhere when the job has an
 * SSH Service, and the open ranges of its public IPs from anywhere while its IP Service exists.
 * {@code policyTypes} is explicit ({@code Ingress}, {@code Egress}), the value the API server
 * would default to for these rules; other egress comes from the namespace's own policies, as in UCloud.
 */
final class NetworkObjects {
    /** UCloud/IM's dummy port of the {@code j-<job>} Service. */
    static final int DUMMY_PORT = 4;
    static final int GUEST_SSH_PORT = 22;
    /** Every IPv4 source, as UCloud's IM lets SSH and public IP traffic in. */
    static final String ANY_IPV4 = "0.0.0.0/0";
    /** Every IPv6 source. */
    static final String ANY_IPV6 = "::/0";

    private final String namespace;

    NetworkObjects(String namespace) {
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /**
     * The policy. With {@code publicIpsOpen}, each open range of the job's public IPs is let in from anywhere
     * ({@code 0.0.0.0/0}, and {@code ::/0} when one of them is IPv6), each distinct range once.
     *
     * @param extraRules further ingress rules (the ingress controller's, for public links), appended
     */
    NetworkPolicy networkPolicy(VmJobPlan plan, boolean sshOpen, boolean publicIpsOpen,
                                List<NetworkPolicyIngressRule> extraRules) {
        LabelSelector self = new LabelSelectorBuilder()
                .withMatchLabels(VmJobLabels.policySelector(plan.names()))
                .build();
        List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
        ingress.add(new NetworkPolicyIngressRuleBuilder().addNewFrom().withPodSelector(self).endFrom().build());
        if (sshOpen) {
            ingress.add(new NetworkPolicyIngressRuleBuilder()
                    .addNewFrom().withNewIpBlock().withCidr(ANY_IPV4).endIpBlock().endFrom()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(GUEST_SSH_PORT)).endPort()
                    .build());
        }
        if (publicIpsOpen) {
            publicIpRule(plan.networking()).ifPresent(ingress::add);
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

    /**
     * The Service {@code j-<job>-ip}: the internal addresses of the job's public IPs as {@code externalIPs}, one
     * port per opened port (Kubernetes has no port ranges), each (port, protocol) once and named
     * {@code <tcp|udp>-<port>}, a DNS label of at most 15 characters as port names must be; empty when the job has
     * no public IP or its IPs open no port (UCloud's IM then makes no Service either).
     */
    Optional<Service> publicIpService(VmJobPlan plan) {
        List<VmPublicIp> ips = plan.networking().publicIps();
        SortedSet<ServicePortKey> keys = new TreeSet<>();
        for (VmPublicIp ip : ips) {
            for (PortRange range : ip.openPorts()) {
                for (int port = range.start(); port <= range.end(); port++) {
                    keys.add(new ServicePortKey(range.protocol(), port));
                }
            }
        }
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        List<ServicePort> ports = new ArrayList<>();
        for (ServicePortKey key : keys) {
            String protocol = key.protocol().name();
            ports.add(new ServicePortBuilder()
                    .withName(protocol.toLowerCase(Locale.ROOT) + "-" + key.port())
                    .withProtocol(protocol)
                    .withPort(key.port())
                    .withTargetPort(new IntOrString(key.port()))
                    .build());
        }
        return Optional.of(new ServiceBuilder()
                .withNewMetadata()
                .withName(plan.names().publicIpService())
                .withNamespace(namespace)
                .withLabels(VmJobLabels.objectLabels(plan.jobId()))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withExternalIPs(ips.stream().map(VmPublicIp::internalAddress).distinct().toList())
                .withSelector(VmJobLabels.serviceSelector(plan.jobId()))
                .withPorts(ports)
                .endSpec()
                .build());
    }

    private static Optional<NetworkPolicyIngressRule> publicIpRule(VmNetworking networking) {
        Set<PortRange> ranges = new LinkedHashSet<>();
        networking.publicIps().forEach(ip -> ranges.addAll(ip.openPorts()));
        if (ranges.isEmpty()) {
            return Optional.empty();
        }
        NetworkPolicyIngressRuleBuilder rule = new NetworkPolicyIngressRuleBuilder()
                .addNewFrom().withNewIpBlock().withCidr(ANY_IPV4).endIpBlock().endFrom();
        if (networking.publicIps().stream().anyMatch(VmPublicIp::ipv6)) {
            rule.addNewFrom().withNewIpBlock().withCidr(ANY_IPV6).endIpBlock().endFrom();
        }
        for (PortRange range : ranges) {
            NetworkPolicyPortBuilder port = new NetworkPolicyPortBuilder()
                    .withProtocol(range.protocol().name())
                    .withPort(new IntOrString(range.start()));
            if (range.end() > range.start()) {
                port.withEndPort(range.end());
            }
            rule.addToPorts(port.build());
        }
        return Optional.of(rule.build());
    }

    /** A port of the IP Service: Kubernetes allows each (port, protocol) once per Service. */
    private record ServicePortKey(IpProtocol protocol, int port) implements Comparable<ServicePortKey> {
        @Override
        public int compareTo(ServicePortKey other) {
            int byPort = Integer.compare(port, other.port);
            return byPort != 0 ? byPort : protocol.compareTo(other.protocol);
        }
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
