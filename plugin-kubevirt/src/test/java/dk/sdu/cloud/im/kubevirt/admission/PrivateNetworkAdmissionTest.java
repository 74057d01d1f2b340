package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestNetworks;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job's {@code private_network} resources in admission: each rule that refuses one, and what is joined. */
class PrivateNetworkAdmissionTest {
    private static final ResourceOwner ALICE = new ResourceOwner("alice#1234", null);
    private static final PrivateNetwork LAB = new PrivateNetwork("n-lab", ALICE, "Lab", "lab");
    private static final PrivateNetwork CLUSTER = new PrivateNetwork("n-cluster", ALICE, "Cluster", "cluster");
    private static final PrivateNetwork BOBS = new PrivateNetwork("n-bob", new ResourceOwner("bob#1", null), "Bob",
            "bobs");
    private static final PrivateNetwork PROJECT = new PrivateNetwork("n-p", new ResourceOwner("carol#2", "p-42"),
            "Project", "project-net");
    private static final PrivateNetwork DOTTED = new PrivateNetwork("n-dot", ALICE, "Dotted", "a.b");

    private final List<PrivateNetwork> networks = new ArrayList<>(List.of(LAB, CLUSTER, BOBS, PROJECT, DOTTED));

    private VmJobAdmission admission() {
        TestNetworks held = new TestNetworks();
        networks.forEach(held::put);
        return ExampleProvider.load(ExampleProvider.HOSTPATH).admission(held);
    }

    private VmJobPlan admit(Consumer<ExampleJobs.Edit> change) {
        return admission().admit(ExampleJobs.vmJob(change));
    }

    private void assertRejected(Consumer<ExampleJobs.Edit> change, String... fragments) {
        assertThatThrownBy(() -> admit(change)).isInstanceOf(JobRejectedException.class).message()
                .contains(fragments);
    }

    @Test
    void theJobJoinsTheNetworksItHoldsInItsOrderEachOnceAndTheFirstGivesTheSubdomain() {
        VmJobPlan plan = admit(job -> job.resources.addAll(List.of(TestNetworks.privateNetworkResource("n-cluster"),
                TestNetworks.privateNetworkResource("n-lab"), TestNetworks.privateNetworkResource("n-cluster"))));

        assertThat(plan.networking().privateNetworks()).containsExactly(CLUSTER, LAB);
        assertThat(plan.subdomain()).isEqualTo("cluster");
    }

    @Test
    void withoutANetworkTheSubdomainIsTheJobsService() {
        VmJobPlan plan = admit(job -> { });
        assertThat(plan.networking().privateNetworks()).isEmpty();
        assertThat(plan.subdomain()).isEqualTo("j-4242");
    }

    @Test
    void aProjectsNetworkIsHeldByTheProjectsJobs() {
        VmJobPlan plan = admit(job -> {
            job.owner = new JobOwner("dave#3", "p-42");
            job.resources.add(TestNetworks.privateNetworkResource("n-p"));
        });
        assertThat(plan.networking().privateNetworks()).containsExactly(PROJECT);
    }

    @Test
    void anUnknownNetworkIsRefused() {
        assertRejected(job -> job.resources.add(TestNetworks.privateNetworkResource("n-gone")),
                "Unknown private network 'n-gone'");
    }

    @Test
    void aNetworkOfSomeoneElseIsRefused() {
        assertRejected(job -> job.resources.add(TestNetworks.privateNetworkResource("n-bob")),
                "The private network 'n-bob' (Bob) is not held by the job's owner");
    }

    @Test
    void aProjectsNetworkIsRefusedToAPersonalJobAndToAnotherProject() {
        assertRejected(job -> job.resources.add(TestNetworks.privateNetworkResource("n-p")),
                "'n-p' (Project) is not held by the job's owner");
        assertRejected(job -> {
            job.owner = new JobOwner("carol#2", "p-other");
            job.resources.add(TestNetworks.privateNetworkResource("n-p"));
        }, "'n-p' (Project) is not held by the job's project");
    }

    @Test
    void aResourceWithoutIdIsRefused() {
        assertRejected(job -> job.resources.add(TestNetworks.privateNetworkResource(" ")),
                "A private network resource names no network (id)");
    }

    @Test
    void aSubdomainThatCannotNameObjectsIsRefused() {
        assertRejected(job -> job.resources.add(TestNetworks.privateNetworkResource("n-dot")),
                "'n-dot' has the subdomain 'a.b', which cannot name Kubernetes objects");
    }

    @Test
    void moreThanTheMostNetworksIsRefused() {
        for (int i = 0; i <= PrivateNetworkAdmission.MAX_NETWORKS; i++) {
            networks.add(new PrivateNetwork("n" + i, ALICE, "Net " + i, "net" + i));
        }
        assertRejected(job -> {
            for (int i = 0; i <= PrivateNetworkAdmission.MAX_NETWORKS; i++) {
                job.resources.add(TestNetworks.privateNetworkResource("n" + i));
            }
        }, "joins at most " + PrivateNetworkAdmission.MAX_NETWORKS + " private networks, the job names "
                + (PrivateNetworkAdmission.MAX_NETWORKS + 1));
    }
}
