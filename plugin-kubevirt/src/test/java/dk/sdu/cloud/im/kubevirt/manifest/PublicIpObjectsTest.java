package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestNetworks;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The Service {@code j-<job>-ip} and the policy's rule of a job with public IPs. */
class PublicIpObjectsTest {
    private static final ResourceOwner ALICE = new ResourceOwner("alice#1234", null);
    private static final AgentTokens TOKENS = new AgentTokens("agent-secret", "server-secret");
    private static final PortRange TCP_8000_8001 = new PortRange(8000, 8001, IpProtocol.TCP);
    private static final PortRange UDP_9000 = new PortRange(9000, 9000, IpProtocol.UDP);

    private final ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
    private final TestNetworks networks = new TestNetworks();

    private VmJobPlan planWith(PublicIp... ips) {
        for (PublicIp ip : ips) {
            networks.put(ip);
        }
        return provider.admission(networks).admit(ExampleJobs.vmJob(edit -> {
            for (PublicIp ip : ips) {
                edit.resources.add(new AppParameterValue("network", null, null, null, null, null, null, ip.id(), null));
            }
        }));
    }

    private VmJobObjects running(VmJobPlan plan) {
        return provider.objectsFactory().build(plan, VmJobRuntimeInputs.running(TOKENS, List.of(), OptionalInt.empty()));
    }

    @Test
    void anIpWithTwoRangesGetsAServicePortPerPortAndAPolicyRulePerRange() {
        VmJobPlan plan = planWith(new PublicIp("ip-1", ALICE, "192.0.2.10", "10.0.0.10",
                List.of(TCP_8000_8001, UDP_9000)));

        VmJobObjects objects = running(plan);

        Service service = objects.publicIpService().orElseThrow();
        assertThat(service.getMetadata().getName()).isEqualTo("j-4242-ip");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(VmJobLabels.objectLabels("4242"));
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getExternalIPs()).containsExactly("10.0.0.10");
        assertThat(service.getSpec().getSelector()).isEqualTo(VmJobLabels.serviceSelector("4242"));
        assertThat(service.getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getProtocol, ServicePort::getPort,
                        p -> p.getTargetPort().getIntVal())
                .containsExactly(tuple("tcp-8000", "TCP", 8000, 8000), tuple("tcp-8001", "TCP", 8001, 8001),
                        tuple("udp-9000", "UDP", 9000, 9000));
        assertThat(service.getSpec().getPorts()).allSatisfy(port -> assertThat(port.getName())
                .hasSizeLessThanOrEqualTo(15).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"));
        assertThat(objects.whileRunning()).contains(service);
        assertThat(objects.ownedByVirtualMachine()).contains(service);

        NetworkPolicyIngressRule rule = publicIpRule(objects);
        assertThat(rule.getFrom()).extracting(peer -> peer.getIpBlock().getCidr()).containsExactly("0.0.0.0/0");
        assertThat(rule.getPorts())
                .extracting(NetworkPolicyPort::getProtocol, p -> p.getPort().getIntVal(), NetworkPolicyPort::getEndPort)
                .containsExactly(tuple("TCP", 8000, 8001), tuple("UDP", 9000, null));
    }

    @Test
    void twoIpsShareOneServiceWithEachPortOnce() {
        VmJobPlan plan = planWith(new PublicIp("ip-1", ALICE, "192.0.2.10", "10.0.0.10", List.of(TCP_8000_8001)),
                new PublicIp("ip-2", ALICE, "192.0.2.11", "10.0.0.11", List.of(new PortRange(8001, 8001, IpProtocol.TCP))));

        Service service = running(plan).publicIpService().orElseThrow();

        assertThat(service.getSpec().getExternalIPs()).containsExactly("10.0.0.10", "10.0.0.11");
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("tcp-8000", "tcp-8001");
    }

    @Test
    void anIpv6AddressIsLetInFromEveryIpv6Source() {
        VmJobPlan plan = planWith(new PublicIp("ip-1", ALICE, "2001:db8::10", "fd00::10", List.of(UDP_9000)));

        assertThat(publicIpRule(running(plan)).getFrom()).extracting(peer -> peer.getIpBlock().getCidr())
                .containsExactly("0.0.0.0/0", "::/0");
    }

    @Test
    void anIpWithoutOpenPortsGetsNoServiceNorRule() {
        VmJobObjects objects = running(planWith(new PublicIp("ip-1", ALICE, "192.0.2.10", "10.0.0.10", List.of())));

        assertThat(objects.publicIpService()).isEmpty();
        assertThat(objects.networkPolicy().getSpec().getIngress()).hasSize(1);   // the job's own traffic only
    }

    @Test
    void aHaltedVmHasNeitherTheServiceNorTheRule() {
        VmJobPlan plan = planWith(new PublicIp("ip-1", ALICE, "192.0.2.10", "10.0.0.10", List.of(TCP_8000_8001)));

        VmJobObjects halted = provider.objectsFactory().build(plan,
                new VmJobRuntimeInputs(PowerState.HALTED, TOKENS, List.of(), OptionalInt.empty()));

        assertThat(halted.publicIpService()).isEmpty();
        assertThat(halted.whileRunning()).isEmpty();
        assertThat(halted.networkPolicy().getSpec().getIngress()).hasSize(1);
    }

    private static NetworkPolicyIngressRule publicIpRule(VmJobObjects objects) {
        List<NetworkPolicyIngressRule> rules = objects.networkPolicy().getSpec().getIngress().stream()
                .filter(rule -> rule.getFrom().stream().map(NetworkPolicyPeer::getIpBlock).anyMatch(b -> b != null))
                .filter(rule -> rule.getPorts().stream().noneMatch(p -> p.getPort().getIntVal() == 22))
                .toList();
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }
}
