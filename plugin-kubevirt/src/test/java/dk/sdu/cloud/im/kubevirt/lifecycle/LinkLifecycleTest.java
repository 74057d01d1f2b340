package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A VM job with a public link, against the simulator: its Ingress, owned by the VM, and the VM's web address. */
class LinkLifecycleTest extends BackendTestbed {
    private static final PublicLink LINK = new PublicLink("41", new ResourceOwner("alice#1234", null),
            "app-mysite.apps.example.org");

    @BeforeEach
    void withTheLink() {
        stop(backend);
        networks = new NetworkResources() {
            @Override
            public Optional<PublicIp> publicIp(String id) {
                return Optional.empty();
            }

            @Override
            public Optional<PublicLink> publicLink(String id) {
                return Optional.of(LINK).filter(link -> link.id().equals(id));
            }

            @Override
            public Optional<PrivateNetwork> privateNetwork(String id) {
                return Optional.empty();
            }
        };
        backend = openBackend();
    }

    private Job jobWithLink(String suffix) {
        return job(suffix, edit -> edit.resources.add(
                new AppParameterValue("ingress", null, null, null, null, null, null, "41", 8080)));
    }

    private Ingress ingressOf(Job job) {
        return admin.network().v1().ingresses().inNamespace(namespace).withName("j-" + job.id() + "-link-41").get();
    }

    @Test
    void theLinksIngressIsOwnedByTheVmAndStaysWhileSuspended() {
        Job job = jobWithLink("a");

        backend.start(job);
        awaitState(job, JobState.RUNNING);

        Ingress ingress = ingressOf(job);
        assertThat(ingress).isNotNull();
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("app-mysite.apps.example.org");
        assertThat(ingress.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("VirtualMachine");
            assertThat(owner.getName()).isEqualTo(vmName(job));
        });
        assertThat(snapshot().orphans()).isEmpty();
        Optional<InetSocketAddress> target = backend.webTarget(job, 0, 8080);
        assertThat(target).hasValueSatisfying(address -> {
            assertThat(address.getAddress().isLoopbackAddress()).isTrue();
            assertThat(address.getPort()).isEqualTo(8080);
        });

        backend.suspend(job);
        awaitState(job, JobState.SUSPENDED);
        await().until(() -> vmi(vmName(job)) == null);

        assertThat(ingressOf(job)).as("the link's Ingress while suspended").isNotNull();
        assertThat(backend.webTarget(job, 0, 8080)).isEmpty();
    }

    @Test
    void aJobWithAnUnknownLinkIsRefusedAndNothingIsCreated() {
        Job job = job("b", edit -> edit.resources.add(
                new AppParameterValue("ingress", null, null, null, null, null, null, "99", 8080)));

        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("The public link 99 is not known to this provider.");
        assertThat(snapshot().names()).noneMatch(name -> name.contains(job.id()));
    }

    @Test
    void webTargetOfAnotherRankIsRefused() {
        assertThatThrownBy(() -> backend.webTarget(jobWithLink("c"), 1, 8080))
                .isInstanceOf(JobRejectedException.class).hasMessageContaining("rank 0");
    }
}
