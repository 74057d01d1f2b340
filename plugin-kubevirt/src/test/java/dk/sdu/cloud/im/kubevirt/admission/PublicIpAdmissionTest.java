package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestNetworks;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job's {@code network} resources (public IPs) in its plan, and every rule that refuses one. */
class PublicIpAdmissionTest {
    private static final ResourceOwner ALICE = new ResourceOwner("alice#1234", null);
    private final ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
    private final TestNetworks networks = new TestNetworks();

    static AppParameterValue network(String id) {
        return new AppParameterValue("network", null, null, null, null, null, null, id, null);
    }

    static PublicIp ip(String id, ResourceOwner owner, PortRange... ranges) {
        return new PublicIp(id, owner, "192.0.2.10", "10.0.0.10", List.of(ranges));
    }

    private Job jobWith(AppParameterValue... resources) {
        return ExampleJobs.vmJob(edit -> edit.resources.addAll(List.of(resources)));
    }

    @Test
    void aHeldPublicIpIsInThePlan() {
        networks.put(ip("ip-1", ALICE, new PortRange(80, 81, IpProtocol.TCP)));

        VmJobPlan plan = provider.admission(networks).admit(jobWith(network("ip-1"), network("ip-1")));

        assertThat(plan.networking().publicIps()).containsExactly(new VmPublicIp("ip-1", "192.0.2.10", "10.0.0.10",
                List.of(new PortRange(80, 81, IpProtocol.TCP))));
        assertThat(plan.networking().externalAddresses()).containsExactly("192.0.2.10");
    }

    @Test
    void aJobWithoutNetworkResourcesHasNoPublicIps() {
        assertThat(provider.admission(networks).admit(ExampleJobs.vmJob()).networking()).isEqualTo(VmNetworking.NONE);
    }

    @Test
    void anUnknownPublicIpIsRefused() {
        assertThatThrownBy(() -> provider.admission(networks).admit(jobWith(network("ip-9"))))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("The public IP ip-9 does not exist at this provider.");
    }

    @Test
    void aPublicIpOfAnotherUserIsRefused() {
        networks.put(ip("ip-1", new ResourceOwner("bob", null)));

        assertThatThrownBy(() -> provider.admission(networks).admit(jobWith(network("ip-1"))))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("The public IP ip-1 (192.0.2.10) is not yours to use")
                .hasMessageContaining("another user");
    }

    @Test
    void aProjectsPublicIpIsRefusedToAPersonalJob() {
        networks.put(ip("ip-1", new ResourceOwner("alice#1234", "project-1")));

        assertThatThrownBy(() -> provider.admission(networks).admit(jobWith(network("ip-1"))))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("ip-1").hasMessageContaining("another project");
    }

    @Test
    void aProjectsPublicIpIsUsableByTheProjectsJobs() {
        networks.put(ip("ip-1", new ResourceOwner("bob", "project-1")));
        Job job = ExampleJobs.vmJob(edit -> {
            edit.owner = new JobOwner("alice#1234", "project-1");
            edit.resources.add(network("ip-1"));
        });

        assertThat(provider.admission(networks).admit(job).networking().publicIps()).hasSize(1);
    }

    @Test
    void moreServicePortsThanOneJobMayHaveAreRefused() {
        networks.put(ip("ip-1", ALICE, new PortRange(1, 600, IpProtocol.TCP)));
        networks.put(new PublicIp("ip-2", ALICE, "192.0.2.11", "10.0.0.11",
                List.of(new PortRange(1, 401, IpProtocol.UDP))));

        assertThatThrownBy(() -> provider.admission(networks).admit(jobWith(network("ip-1"), network("ip-2"))))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("open 1001 ports together, more than the 1000");
    }

    @Test
    void aNetworkResourceWithoutAnIdIsRefused() {
        assertThatThrownBy(() -> provider.admission(networks).admit(jobWith(network(null))))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("names no public IP");
    }
}
