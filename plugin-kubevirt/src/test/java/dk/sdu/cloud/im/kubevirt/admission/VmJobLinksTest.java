package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjects;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobRuntimeInputs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.ServicePort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A VM job's public links: resolved into the plan, refused with a reason, and made into Ingresses. */
class VmJobLinksTest {
    private static final ResourceOwner ALICE = new ResourceOwner("alice#1234", null);
    private static final Map<String, PublicLink> LINKS = Map.of(
            "41", new PublicLink("41", ALICE, "app-first.apps.example.org"),
            "42", new PublicLink("42", ALICE, "app-second.apps.example.org"),
            "50", new PublicLink("50", new ResourceOwner("bob#1", null), "app-bobs.apps.example.org"),
            "60", new PublicLink("60", new ResourceOwner("alice#1234", "project-1"), "app-project.apps.example.org"));
    private static final NetworkResources NETWORKS = new NetworkResources() {
        @Override
        public Optional<PublicIp> publicIp(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<PublicLink> publicLink(String id) {
            return Optional.ofNullable(LINKS.get(id));
        }

        @Override
        public Optional<PrivateNetwork> privateNetwork(String id) {
            return Optional.empty();
        }
    };

    private final ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);

    private static AppParameterValue link(String id, Integer port) {
        return new AppParameterValue("ingress", null, null, null, null, null, null, id, port);
    }

    private static Job jobWith(AppParameterValue... links) {
        return ExampleJobs.vmJob(edit -> edit.resources.addAll(List.of(links)));
    }

    private void assertRefused(Job job, String message) {
        assertThatThrownBy(() -> provider.admission(NETWORKS).admit(job))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theJobsLinksAreResolvedInItsOrder() {
        VmJobPlan plan = provider.admission(NETWORKS).admit(jobWith(link("42", 9000), link("41", 8080)));

        assertThat(plan.networking().links()).containsExactly(
                new VmLink("42", "app-second.apps.example.org", 9000),
                new VmLink("41", "app-first.apps.example.org", 8080));
        assertThat(plan.networking().linkPorts()).containsExactly(8080, 9000);
        assertThat(provider.admission(NETWORKS).admit(ExampleJobs.vmJob()).networking()).isEqualTo(VmNetworking.NONE);
    }

    @Test
    void anUnknownLinkIsRefused() {
        assertRefused(jobWith(link("99", 8080)), "The public link 99 is not known to this provider.");
    }

    @Test
    void aLinkOfAnotherUserOrProjectIsRefused() {
        assertRefused(jobWith(link("50", 8080)),
                "The public link 50 (app-bobs.apps.example.org) belongs to another user or project than the job's.");
        assertRefused(jobWith(link("60", 8080)), "The public link 60 (app-project.apps.example.org) belongs to another");
        Job projectJob = ExampleJobs.vmJob(edit -> {
            edit.owner = new JobOwner("alice#1234", "project-1");
            edit.resources.add(link("60", 8080));
        });
        assertThat(provider.admission(NETWORKS).admit(projectJob).networking().links())
                .containsExactly(new VmLink("60", "app-project.apps.example.org", 8080));
    }

    @Test
    void aLinkWithoutAPortTellsTheUserToBindOne() {
        assertRefused(jobWith(link("41", null)), "The public link 41 (app-first.apps.example.org) is bound to no port: "
                + "bind the link to the port of the virtual machine that its web server listens on.");
        assertRefused(jobWith(link("41", 0)), "is bound to no port");
        assertRefused(jobWith(link("41", 70000)), "is bound to port 70000, which is not a TCP port (1-65535).");
    }

    @Test
    void aLinkAttachedTwiceOrWithoutIdIsRefused() {
        assertRefused(jobWith(link("41", 8080), link("41", 9000)),
                "The public link 41 is attached to the job more than once.");
        assertRefused(jobWith(link(null, 8080)), "A public link of the job names no link (its id is missing).");
    }

    @Test
    void aLinkIdThatCannotNameAnIngressIsRefused() {
        Map<String, PublicLink> odd = Map.of("Odd_Id", new PublicLink("Odd_Id", ALICE, "app-oddid.apps.example.org"));
        NetworkResources networks = new NetworkResources() {
            @Override
            public Optional<PublicIp> publicIp(String id) {
                return Optional.empty();
            }

            @Override
            public Optional<PublicLink> publicLink(String id) {
                return Optional.ofNullable(odd.get(id));
            }

            @Override
            public Optional<PrivateNetwork> privateNetwork(String id) {
                return Optional.empty();
            }
        };
        assertThatThrownBy(() -> provider.admission(networks).admit(jobWith(link("Odd_Id", 8080))))
                .hasMessageContaining("The public link Odd_Id cannot be used in a Kubernetes name (Ingress "
                        + "'j-4242-link-Odd_Id')");
    }

    @Test
    void twoLinksGiveTwoIngressesWithTheConfiguredClassTlsAndAnnotations() {
        ExampleProvider configured = provider.withConfig(provider.config().withIngress(new KubeVirtConfig.LinkIngress(
                Optional.of("nginx"), Optional.of("wildcard-apps"),
                Map.of("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600"), Optional.of("ingress-nginx"))));
        VmJobPlan plan = configured.admission(NETWORKS).admit(jobWith(link("41", 8080), link("42", 9000)));

        VmJobObjects objects = configured.objectsFactory().build(plan, VmJobRuntimeInputs.preview(plan, List.of()));

        assertThat(objects.ingresses()).hasSize(2);
        Ingress first = objects.ingresses().get(0);
        assertThat(first.getMetadata().getName()).isEqualTo("j-4242-link-41");
        assertThat(first.getMetadata().getNamespace()).isEqualTo(configured.namespace());
        assertThat(first.getMetadata().getLabels()).containsEntry("ucloud.dk/jobId", "4242");
        assertThat(first.getMetadata().getAnnotations())
                .containsExactly(Map.entry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600"));
        assertThat(first.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(first.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly("app-first.apps.example.org");
            assertThat(tls.getSecretName()).isEqualTo("wildcard-apps");
        });
        assertThat(first.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("app-first.apps.example.org");
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getPath()).isEqualTo("/");
                assertThat(path.getPathType()).isEqualTo("Prefix");
                assertThat(path.getBackend().getService().getName()).isEqualTo("j-4242");
                assertThat(path.getBackend().getService().getPort().getNumber()).isEqualTo(8080);
            });
        });
        Ingress second = objects.ingresses().get(1);
        assertThat(second.getSpec().getRules().get(0).getHost()).isEqualTo("app-second.apps.example.org");
        assertThat(second.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getPort()
                .getNumber()).isEqualTo(9000);

        // The Service has the ports the Ingresses lead to; the VM owns the Ingresses.
        assertThat(objects.service().getSpec().getPorts()).extracting(ServicePort::getPort)
                .containsExactly(4, 8080, 9000);
        assertThat(objects.ownedByVirtualMachine()).containsAll(objects.ingresses());
        // The controller's namespace may reach the links' ports.
        assertThat(objects.networkPolicy().getSpec().getIngress()).last().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
                    .getMatchLabels()).containsExactly(Map.entry("kubernetes.io/metadata.name", "ingress-nginx")));
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8080, 9000);
        });
    }

    @Test
    void byDefaultAnIngressHasNoClassTlsOrAnnotations() {
        VmJobPlan plan = provider.admission(NETWORKS).admit(jobWith(link("41", 8080)));

        Ingress ingress = provider.objectsFactory().build(plan, VmJobRuntimeInputs.preview(plan, List.of()))
                .ingresses().get(0);

        assertThat(ingress.getSpec().getIngressClassName()).isNull();
        assertThat(ingress.getSpec().getTls()).isEmpty();
        assertThat(ingress.getMetadata().getAnnotations()).isNullOrEmpty();
        // No rule for a controller that is not named: the namespace's own policies let it in.
        assertThat(provider.objectsFactory().build(plan, VmJobRuntimeInputs.preview(plan, List.of())).networkPolicy()
                .getSpec().getIngress()).noneMatch(rule -> rule.getFrom().stream()
                        .anyMatch(peer -> peer.getNamespaceSelector() != null));
    }
}
