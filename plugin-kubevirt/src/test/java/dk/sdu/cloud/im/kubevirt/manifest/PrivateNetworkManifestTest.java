package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.testdata.VirtualMachineSchema;
import dk.sdu.cloud.im.kubevirt.admission.VmJobAdmission;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestNetworks;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VM that joins private networks as UCloud's IM makes its members: membership labels on its template (so on
 * its pod) and on itself, its subdomain and DNS search list; and the objects a network shares.
 */
class PrivateNetworkManifestTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ResourceOwner ALICE = new ResourceOwner("alice#1234", null);

    private final ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
    private final String ns = provider.namespace();

    private JsonNode vm(Consumer<ExampleJobs.Edit> change) {
        VmJobAdmission admission = provider.admission(new TestNetworks()
                .put(new PrivateNetwork("n-lab", ALICE, "Lab", "lab"))
                .put(new PrivateNetwork("n-hpc", ALICE, "HPC", "hpc")));
        VmJobPlan plan = admission.admit(ExampleJobs.vmJob(change));
        GenericKubernetesResource vm = provider.objectsFactory().build(plan,
                VmJobRuntimeInputs.running(new AgentTokens("a", "s"), List.of(), OptionalInt.empty())).virtualMachine();
        return JSON.readTree(SERIALIZATION.asJson(vm));
    }

    @Test
    void aMemberIsLabelledPerNetworkTakesTheFirstNetworksSubdomainAndSearchesEachNetwork() {
        JsonNode vm = vm(job -> {
            job.hostname = "head";
            job.resources.add(TestNetworks.privateNetworkResource("n-lab"));
            job.resources.add(TestNetworks.privateNetworkResource("n-hpc"));
        });

        JsonNode template = vm.at("/spec/template");
        assertThat(template.at("/metadata/labels/ucloud.dk~1network-lab").asString()).isEqualTo("true");
        assertThat(template.at("/metadata/labels/ucloud.dk~1network-hpc").asString()).isEqualTo("true");
        assertThat(vm.at("/metadata/labels/ucloud.dk~1network-lab").asString())
                .as("on the VM too, where the plugin finds members by selector").isEqualTo("true");
        assertThat(template.at("/spec/hostname").asString()).isEqualTo("head");
        assertThat(template.at("/spec/subdomain").asString()).isEqualTo("lab");
        assertThat(template.at("/spec/dnsConfig/searches").valueStream().map(JsonNode::asString).toList())
                .containsExactly("lab." + ns + ".svc.cluster.local", "hpc." + ns + ".svc.cluster.local",
                        ns + ".svc.cluster.local", "svc.cluster.local", "cluster.local");
        assertThat(VirtualMachineSchema.load().validate(vm)).as("KubeVirt's schema").isEmpty();
    }

    @Test
    void withoutANetworkTheVmIsItsOwnSubdomainAndSearchesIt() {
        JsonNode vm = vm(job -> { });

        JsonNode spec = vm.at("/spec/template/spec");
        assertThat(spec.at("/hostname").asString()).isEqualTo("j-4242");
        assertThat(spec.at("/subdomain").asString()).isEqualTo("j-4242");
        assertThat(spec.at("/dnsConfig/searches").valueStream().map(JsonNode::asString).toList())
                .containsExactly("j-4242." + ns + ".svc.cluster.local", ns + ".svc.cluster.local",
                        "svc.cluster.local", "cluster.local");
        assertThat(vm.at("/spec/template/metadata/labels").propertyNames())
                .noneMatch(name -> name.startsWith(VmJobLabels.NETWORK_PREFIX));
        assertThat(VirtualMachineSchema.load().validate(vm)).isEmpty();
    }

    @Test
    void theNetworksSharedObjectsAreAHeadlessServiceAndAPolicyBetweenMembersAsUCloudsIm() {
        PrivateNetworkObjects objects = new PrivateNetworkObjects(ns);

        Service service = objects.service("lab");
        assertThat(service.getMetadata().getName()).isEqualTo("lab");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("ucloud.dk/network-lab", "true"));
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort()).isEqualTo(80));
        assertThat(service.getMetadata().getLabels()).doesNotContainKey(VmJobLabels.JOB_ID)
                .containsEntry(PrivateNetworkObjects.NETWORK_LABEL, "lab");

        NetworkPolicy policy = objects.policy("lab", new OwnerReferenceBuilder().withApiVersion("v1")
                .withKind("Service").withName("lab").withUid("u-1").build());
        Map<String, String> members = Map.of("ucloud.dk/network-lab", "true");
        assertThat(policy.getMetadata().getName()).isEqualTo("lab");
        assertThat(policy.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("u-1"));
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(members);
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(
                rule.getFrom().get(0).getPodSelector().getMatchLabels()).isEqualTo(members));
        assertThat(policy.getSpec().getEgress()).singleElement().satisfies(rule -> assertThat(
                rule.getTo().get(0).getPodSelector().getMatchLabels()).isEqualTo(members));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    }
}
