package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.testing.TestNetworks;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** A job's public IP Service through the lifecycle: start, suspend, unsuspend, terminate, attach, firewall. */
class PublicIpLifecycleTest extends BackendTestbed {
    /** The public IPs the host holds; the backends of this test look them up here. */
    private final TestNetworks ips = new TestNetworks();

    {
        networks = ips;
    }
    private static final ResourceOwner OWNER = new ResourceOwner("alice#1234", null);
    private static final PortRange TCP_8000_8001 = new PortRange(8000, 8001, IpProtocol.TCP);
    private static final PortRange UDP_9000 = new PortRange(9000, 9000, IpProtocol.UDP);

    private static AppParameterValue network(String id) {
        return new AppParameterValue("network", null, null, null, null, null, null, id, null);
    }

    private static PublicIp ip(String id, PortRange... ranges) {
        return new PublicIp(id, OWNER, "192.0.2.10", "10.0.0.10", List.of(ranges));
    }

    private Job jobWithIp(String suffix, String ipId) {
        return job(suffix, edit -> edit.resources.add(network(ipId)));
    }

    private NetworkPolicy policy(Job job) {
        return admin.network().networkPolicies().inNamespace(namespace).withName("policy-" + job.id()).get();
    }

    private static List<NetworkPolicyPort> openedPorts(NetworkPolicy policy) {
        return policy.getSpec().getIngress().stream().map(NetworkPolicyIngressRule::getPorts)
                .filter(Objects::nonNull).flatMap(List::stream)
                .filter(port -> port.getPort().getIntVal() != 22).toList();
    }

    private boolean hasMessage(Job job, String text) {
        return updates.of(job.id()).stream().map(JobUpdate::status).anyMatch(s -> s != null && s.contains(text));
    }

    @Test
    void aRunningJobHasItsIpServiceAndSuspendRemovesItAndUnsuspendBringsItBack() {
        ips.put(ip("ip-1", TCP_8000_8001, UDP_9000));
        Job job = jobWithIp("a", "ip-1");

        backend.start(job);
        awaitState(job, JobState.RUNNING);

        Service service = publicIpService(job);
        assertThat(service).isNotNull();
        assertThat(service.getSpec().getExternalIPs()).containsExactly("10.0.0.10");
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName)
                .containsExactly("tcp-8000", "tcp-8001", "udp-9000");
        assertThat(service.getMetadata().getOwnerReferences()).extracting(OwnerReference::getKind, OwnerReference::getName)
                .containsExactly(tuple("VirtualMachine", vmName(job)));
        assertThat(openedPorts(policy(job)))
                .extracting(NetworkPolicyPort::getProtocol, p -> p.getPort().getIntVal(), NetworkPolicyPort::getEndPort)
                .containsExactly(tuple("TCP", 8000, 8001), tuple("UDP", 9000, null));
        await().until(() -> hasMessage(job, "Successfully attached the following IP addresses: 192.0.2.10"));

        backend.suspend(job);
        awaitState(job, JobState.SUSPENDED);
        assertThat(publicIpService(job)).isNull();
        assertThat(sshService(job)).isNull();

        backend.unsuspend(job);
        awaitState(job, JobState.RUNNING);
        assertThat(publicIpService(job)).isNotNull();
        assertThat(publicIpService(job).getSpec().getPorts()).hasSize(3);
    }

    @Test
    void terminateLeavesNothing() {
        ips.put(ip("ip-1", TCP_8000_8001));
        Job job = jobWithIp("b", "ip-1");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        assertThat(publicIpService(job)).isNotNull();

        backend.terminate(job);

        awaitState(job, JobState.SUCCESS);
        await().until(() -> snapshot().names().isEmpty());
        assertThat(publicIpService(job)).isNull();
    }

    @Test
    void anIpTheUserDoesNotHoldIsRefusedAndNothingIsCreated() {
        ips.put(new PublicIp("ip-1", new ResourceOwner("bob", null), "192.0.2.10", "10.0.0.10",
                List.of(TCP_8000_8001)));
        Job job = jobWithIp("c", "ip-1");

        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("The public IP ip-1 (192.0.2.10) is not yours to use");

        assertThat(vmOf(job)).isNull();
        assertThat(snapshot().names()).isEmpty();
    }

    @Test
    void attachWhileRunningAddsTheServiceAndDetachRemovesIt() {
        Job job = job("d");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        assertThat(publicIpService(job)).isNull();
        ips.put(ip("ip-1", TCP_8000_8001));
        Job withIp = jobWithIp("d", "ip-1");

        backend.attachResource(withIp, network("ip-1"));

        assertThat(publicIpService(job)).isNotNull();
        assertThat(openedPorts(policy(job))).hasSize(1);
        assertThat(hasMessage(job, "Successfully attached the following IP addresses: 192.0.2.10")).isTrue();

        backend.detachResource(job, network("ip-1"));

        assertThat(publicIpService(job)).isNull();
        assertThat(openedPorts(policy(job))).isEmpty();
        assertThat(sshService(job)).isNotNull();
        assertThat(updates.lastStateOf(job.id())).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aFirewallChangeOfABoundIpUpdatesTheRunningJobsServiceAndPolicy() {
        ips.put(ip("ip-1", TCP_8000_8001));
        Job job = jobWithIp("e", "ip-1");
        backend.start(job);
        awaitState(job, JobState.RUNNING);

        ips.put(ip("ip-1", UDP_9000));
        backend.attachResource(job, network("ip-1"));

        assertThat(publicIpService(job).getSpec().getPorts()).extracting(ServicePort::getName)
                .containsExactly("udp-9000");
        assertThat(openedPorts(policy(job))).extracting(NetworkPolicyPort::getProtocol, p -> p.getPort().getIntVal())
                .containsExactly(tuple("UDP", 9000));
    }

    @Test
    void attachingToASuspendedJobWaitsForItsNextStart() {
        Job job = job("f");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        backend.suspend(job);
        awaitState(job, JobState.SUSPENDED);
        ips.put(ip("ip-1", TCP_8000_8001));
        Job withIp = jobWithIp("f", "ip-1");

        backend.attachResource(withIp, network("ip-1"));

        assertThat(publicIpService(job)).isNull();
        assertThat(hasMessage(job, "takes effect when its virtual machine runs again")).isTrue();
        backend.unsuspend(withIp);
        awaitState(job, JobState.RUNNING);
        assertThat(publicIpService(job)).isNotNull();
    }
}
