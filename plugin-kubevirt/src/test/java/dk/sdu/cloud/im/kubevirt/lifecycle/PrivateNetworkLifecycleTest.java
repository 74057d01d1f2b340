package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.kubevirt.testing.TestNetworks;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VMs on private networks against the simulator: two jobs on one network select each other through their pods'
 * labels (as the simulator makes the virt-launcher pods), the network's headless Service and its policy, and
 * reach each other both ways; a job on another network is selected by neither. The network's shared objects
 * outlive a member's suspend and go with its last member. The job's Service address reaches the host once per
 * address.
 */
class PrivateNetworkLifecycleTest extends BackendTestbed {
    private static final ResourceOwner ALICE = new ResourceOwner("alice#1234", null);
    private static final PrivateNetwork LAB = new PrivateNetwork("n-lab", ALICE, "Lab", "lab");
    private static final PrivateNetwork HPC = new PrivateNetwork("n-hpc", ALICE, "HPC", "hpc");

    @BeforeEach
    void holdNetworks() {
        stop(backend);
        networks = new TestNetworks().put(LAB).put(HPC);
        backend = openBackend();
    }

    private Job member(String suffix, PrivateNetwork network) {
        return job(suffix, edit -> edit.resources.add(TestNetworks.privateNetworkResource(network.id())));
    }

    private Pod podOf(Job job) {
        await().until(() -> pods().stream().anyMatch(p -> job.id().equals(label(p, VmJobLabels.JOB_ID))));
        return pods().stream().filter(p -> job.id().equals(label(p, VmJobLabels.JOB_ID))).findFirst().orElseThrow();
    }

    private List<Pod> pods() {
        return admin.pods().inNamespace(namespace).list().getItems();
    }

    private static String label(Pod pod, String key) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
    }

    private Service service(String name) {
        return admin.services().inNamespace(namespace).withName(name).get();
    }

    private NetworkPolicy policy(String name) {
        return admin.network().v1().networkPolicies().inNamespace(namespace).withName(name).get();
    }

    private static boolean selects(LabelSelector selector, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return selector != null && labels != null && labels.entrySet().containsAll(
                (selector.getMatchLabels() == null ? Map.<String, String>of() : selector.getMatchLabels()).entrySet());
    }

    private static boolean selects(Map<String, String> selector, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    /**
     * Whether the namespace's NetworkPolicies let {@code from} open a connection to {@code to}, as Kubernetes
     * decides it: a direction is open when no policy of that type selects the pod, or when a rule of one that
     * does names the peer (policies add up). Only pod selectors are peers here (ipBlocks are outside traffic).
     */
    private boolean allowed(Pod from, Pod to) {
        List<NetworkPolicy> policies = admin.network().v1().networkPolicies().inNamespace(namespace).list().getItems();
        return open(policies, from, to, "Egress", p -> p.getSpec().getEgress().stream()
                .flatMap(rule -> rule.getTo().stream()).toList())
                && open(policies, to, from, "Ingress", p -> p.getSpec().getIngress().stream()
                .flatMap(rule -> rule.getFrom().stream()).toList());
    }

    private static boolean open(List<NetworkPolicy> policies, Pod subject, Pod peer, String type,
                                Function<NetworkPolicy, List<NetworkPolicyPeer>> peers) {
        List<NetworkPolicy> applying = policies.stream().filter(p -> p.getSpec().getPolicyTypes().contains(type))
                .filter(p -> selects(p.getSpec().getPodSelector(), subject)).toList();
        return applying.isEmpty() || applying.stream().flatMap(p -> peers.apply(p).stream())
                .anyMatch(candidate -> candidate.getPodSelector() != null && selects(candidate.getPodSelector(), peer));
    }

    @Test
    void twoMembersSelectAndReachEachOtherAndNoOneElse() {
        Job first = member("a", LAB);
        Job second = member("b", LAB);
        Job other = member("c", HPC);
        for (Job job : List.of(first, second, other)) {
            backend.start(job);
        }
        for (Job job : List.of(first, second, other)) {
            awaitState(job, JobState.RUNNING);
        }
        Pod a = podOf(first);
        Pod b = podOf(second);
        Pod c = podOf(other);

        assertThat(label(a, "ucloud.dk/network-lab")).isEqualTo("true");
        assertThat(label(b, "ucloud.dk/network-lab")).isEqualTo("true");
        assertThat(label(c, "ucloud.dk/network-lab")).isNull();
        assertThat(label(c, "ucloud.dk/network-hpc")).isEqualTo("true");

        Service lab = service("lab");
        assertThat(lab.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(List.of(a, b, c)).filteredOn(pod -> selects(lab.getSpec().getSelector(), pod))
                .containsExactly(a, b);
        NetworkPolicy labPolicy = policy("lab");
        assertThat(List.of(a, b, c)).filteredOn(pod -> selects(labPolicy.getSpec().getPodSelector(), pod))
                .containsExactly(a, b);
        assertThat(List.of(a, b, c)).filteredOn(pod -> selects(service("hpc").getSpec().getSelector(), pod))
                .containsExactly(c);

        assertThat(allowed(a, b)).as("member to member").isTrue();
        assertThat(allowed(b, a)).as("and back").isTrue();
        assertThat(allowed(a, c)).as("to a job of another network").isFalse();
        assertThat(allowed(c, a)).as("from a job of another network").isFalse();
        assertThat(allowed(c, b)).isFalse();

        Map<String, Object> template = templateSpec(first);
        assertThat(template.get("subdomain")).isEqualTo("lab");
        assertThat(template.get("hostname")).isEqualTo("j-" + first.id());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> templateSpec(Job job) {
        Map<String, Object> spec = (Map<String, Object>) vmOf(job).getAdditionalProperties().get("spec");
        return (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    }

    @Test
    void theNetworksObjectsOutliveASuspendedMemberAndGoWithTheLastMember() {
        Job first = member("a", LAB);
        Job second = member("b", LAB);
        backend.start(first);
        backend.start(second);
        awaitState(first, JobState.RUNNING);
        awaitState(second, JobState.RUNNING);

        backend.suspend(first);
        awaitState(first, JobState.SUSPENDED);
        backend.terminate(second);
        awaitState(second, JobState.SUCCESS);
        assertThat(service("lab")).as("the suspended member keeps its network").isNotNull();
        assertThat(policy("lab")).isNotNull();

        backend.unsuspend(first);
        awaitState(first, JobState.RUNNING);
        assertThat(label(podOf(first), "ucloud.dk/network-lab")).isEqualTo("true");

        backend.terminate(first);
        awaitState(first, JobState.SUCCESS);
        assertThat(service("lab")).as("gone with its last member").isNull();
        assertThat(policy("lab")).isNull();
    }

    @Test
    void attachingOrDetachingANetworkOfARunningVmMakesItsObjectsAndSaysItAppliesAtTheNextStart() {
        Job alone = job("a");
        backend.start(alone);
        awaitState(alone, JobState.RUNNING);

        Job joined = member("a", LAB);
        backend.attachResource(joined, TestNetworks.privateNetworkResource(LAB.id()));

        assertThat(service("lab")).as("the network's objects are made at once").isNotNull();
        assertThat(policy("lab")).isNotNull();
        assertThat(label(podOf(alone), "ucloud.dk/network-lab")).as("the running pod is not relabelled").isNull();
        assertThat(messages(alone)).anyMatch(m -> m.startsWith("The virtual machine joins the private network 'Lab'"
                + " (lab) when it next starts"));

        backend.detachResource(alone, TestNetworks.privateNetworkResource(LAB.id()));
        assertThat(messages(alone)).anyMatch(m -> m.startsWith("The virtual machine leaves the private network "
                + "'Lab' (lab) when it next starts"));
        assertThat(updates.lastStateOf(alone.id())).isEqualTo(JobState.RUNNING);
    }

    private List<String> messages(Job job) {
        return updates.of(job.id()).stream().map(dk.sdu.cloud.im.spi.job.JobUpdate::status)
                .filter(java.util.Objects::nonNull).toList();
    }

    @Test
    void theServiceAddressReachesTheHostOncePerAddressAlsoAcrossARestart() {
        Job job = job("a");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        String service = "j-" + job.id();
        await().until(() -> !updates.labelsOf(job.id()).isEmpty());
        String address = service(service).getSpec().getClusterIP();
        assertThat(address).isNotBlank();
        assertThat(updates.labelsOf(job.id())).containsExactly(Map.of(VmJobLabels.SERVICE_IP_ADDRESS, address));

        stop(backend);
        KubeVirtComputeBackend restarted = openBackend();
        restarted.start(job);
        restarted.start(job);
        assertThat(updates.labelsOf(job.id())).as("an unchanged address is not sent again").hasSize(1);

        admin.services().inNamespace(namespace).withName(service).delete();
        await().until(() -> {
            restarted.start(job);   // the reconcile makes the Service again; the simulator gives it an address
            return updates.labelsOf(job.id()).size() == 2;
        });
        String changed = service(service).getSpec().getClusterIP();
        assertThat(changed).isNotEqualTo(address);
        assertThat(updates.labelsOf(job.id())).containsExactly(Map.of(VmJobLabels.SERVICE_IP_ADDRESS, address),
                Map.of(VmJobLabels.SERVICE_IP_ADDRESS, changed));
    }
}
