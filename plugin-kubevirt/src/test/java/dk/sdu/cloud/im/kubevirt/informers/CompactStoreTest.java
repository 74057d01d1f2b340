package dk.sdu.cloud.im.kubevirt.informers;

import dk.sdu.cloud.im.kubevirt.state.LauncherPodFacts;
import dk.sdu.cloud.im.kubevirt.state.VmFacts;
import dk.sdu.cloud.im.kubevirt.state.VmiFacts;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The informers' compact store: what each reader reads of an object reads the same from it as from the object
 * the API server sent. The kinds the reconciler compares and writes come back whole (without
 * {@code metadata.managedFields}); VMIs and launcher pods without their spec, which no reader needs.
 */
class CompactStoreTest {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    final VmJobFixture job = new VmJobFixture("j1", "ns");

    @Test
    void theReconcilersKindsComeBackWholeWithoutManagedFields() {
        GenericKubernetesResource vm = asServerHasIt(job.virtualMachine());
        vm.setAdditionalProperty("status", Map.of("printableStatus", "Running", "ready", true,
                "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
        List<GenericKubernetesResource> objects = new java.util.ArrayList<>(List.of(vm));
        job.desired().ownedByVm().forEach(object -> objects.add(asServerHasIt(object)));
        job.desired().volumes().forEach(object -> objects.add(asServerHasIt(object)));

        for (GenericKubernetesResource object : objects) {
            // One store per object, as an informer's holds one kind (the claim has the VM's name).
            CompactStore store = new CompactStore(SERIALIZATION, Keep.WHOLE);
            JsonNode expected = tree(object);
            ((tools.jackson.databind.node.ObjectNode) expected.path("metadata")).remove("managedFields");
            String key = store.getKey(object);
            store.put(key, withManagedFields(object));

            GenericKubernetesResource read = store.get(key);
            assertThat(tree(read)).as(key).isEqualTo(expected);
            assertThat(read.getMetadata().getManagedFields()).as(key).isNullOrEmpty();
            if ("VirtualMachine".equals(object.getKind())) {
                assertThat(VmFacts.of(read)).isEqualTo(VmFacts.of(vm));
            }
            if (key.equals("ns/" + job.sshServiceName())) {
                // As the SSH port allocator reads a Service's port.
                assertThat((Object) read.get("spec", "ports", 0, "port")).isEqualTo(2222);
            }
        }
    }

    @Test
    void instancesAreKeptWithTheirMetadataAndStatusOnly() {
        CompactStore store = new CompactStore(SERIALIZATION, Keep.METADATA_AND_STATUS);
        GenericKubernetesResource vmi = SERIALIZATION.unmarshal("""
                {"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstance",
                 "metadata":{"name":"vm-j1-0","namespace":"ns","uid":"u-1","resourceVersion":"7",
                   "labels":{"ucloud.dk/jobId":"j1","kubevirt.io/created-by":"u-0"},
                   "ownerReferences":[{"apiVersion":"kubevirt.io/v1","kind":"VirtualMachine","name":"vm-j1-0","uid":"u-0"}]},
                 "spec":{"domain":{"cpu":{"cores":1},"devices":{"disks":[{"name":"base"}]}},
                   "volumes":[{"name":"base","persistentVolumeClaim":{"claimName":"vm-j1-0"}}]},
                 "status":{"phase":"Failed","nodeName":"node-1","reason":"Crashed",
                   "conditions":[{"type":"Ready","status":"False"},
                                 {"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"no cpu"}]}}
                """, GenericKubernetesResource.class);
        VmiFacts expected = VmiFacts.of(vmi);
        Map<String, String> labels = Map.copyOf(vmi.getMetadata().getLabels());

        store.put(store.getKey(vmi), vmi);
        GenericKubernetesResource read = store.get("ns/vm-j1-0");

        assertThat(VmiFacts.of(read)).isEqualTo(expected);
        assertThat(read.getMetadata().getLabels()).isEqualTo(labels);
        assertThat(read.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(read.getAdditionalProperties()).doesNotContainKey("spec").containsKey("status");
        // The object the informer hands to its handlers is pruned the same way.
        assertThat(vmi.getAdditionalProperties()).doesNotContainKey("spec");
    }

    @Test
    void launcherPodsAreKeptWithTheirMetadataAndStatusOnly() {
        CompactStore store = new CompactStore(SERIALIZATION, Keep.METADATA_AND_STATUS);
        GenericKubernetesResource pod = SERIALIZATION.unmarshal("""
                {"apiVersion":"v1","kind":"Pod",
                 "metadata":{"name":"virt-launcher-vm-j1-0-abcde","namespace":"ns","resourceVersion":"9",
                   "labels":{"kubevirt.io":"virt-launcher","ucloud.dk/jobId":"j1","kubevirt.io/created-by":"u-1"}},
                 "spec":{"containers":[{"name":"compute","image":"virt-launcher","command":["/usr/bin/virt-launcher"]}]},
                 "status":{"phase":"Failed","reason":"Evicted","message":"The node was low on resource: memory.",
                   "containerStatuses":[{"name":"compute","ready":false,"restartCount":0,"image":"virt-launcher",
                     "imageID":"","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}}
                """, GenericKubernetesResource.class);
        LauncherPodFacts expected = LauncherPodFacts.of(SERIALIZATION.convertValue(pod, Pod.class));
        assertThat(expected.terminatedReason()).isEqualTo("OOMKilled");

        store.put(store.getKey(pod), pod);
        GenericKubernetesResource read = store.get("ns/virt-launcher-vm-j1-0-abcde");

        assertThat(LauncherPodFacts.of(SERIALIZATION.convertValue(read, Pod.class))).isEqualTo(expected);
        assertThat(read.getMetadata().getLabels()).containsEntry("kubevirt.io/created-by", "u-1")
                .containsEntry("ucloud.dk/jobId", "j1");
        assertThat(read.getAdditionalProperties()).doesNotContainKey("spec");
    }

    @Test
    void everyReadIsACopyOfItsOwnAndPutAndRemoveAnswerWhatWasThere() {
        CompactStore store = new CompactStore(SERIALIZATION, Keep.WHOLE);
        GenericKubernetesResource first = asServerHasIt(job.virtualMachine());
        String key = store.getKey(first);
        assertThat(store.put(key, first)).isNull();

        store.get(key).getMetadata().setLabels(Map.of("changed", "by a reader"));
        assertThat(store.get(key).getMetadata().getLabels()).isNullOrEmpty();

        GenericKubernetesResource second = asServerHasIt(job.virtualMachine());
        second.getMetadata().setResourceVersion("2");
        assertThat(store.put(key, second).getMetadata().getResourceVersion()).isEqualTo("1");
        assertThat(store.keySet()).containsExactly(key);
        assertThat(store.values()).extracting(object -> object.getMetadata().getResourceVersion())
                .containsExactly("2");
        assertThat(store.remove(key).getMetadata().getResourceVersion()).isEqualTo("2");
        assertThat(store.get(key)).isNull();
        assertThat(store.remove(key)).isNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void aVersionIsReadWithoutTheObject() {
        CompactStore store = new CompactStore(SERIALIZATION, Keep.WHOLE);
        GenericKubernetesResource vm = asServerHasIt(job.virtualMachine());
        String key = store.getKey(vm);
        assertThat(store.resourceVersion(key)).isNull();

        vm.getMetadata().setResourceVersion("41");
        store.put(key, vm);
        assertThat(store.resourceVersion(key)).isEqualTo("41");
        GenericKubernetesResource newer = asServerHasIt(job.virtualMachine());
        newer.getMetadata().setResourceVersion("42");
        store.put(key, newer);
        assertThat(store.resourceVersion(key)).isEqualTo("42").isEqualTo(store.get(key).getMetadata()
                .getResourceVersion());
        store.remove(key);
        assertThat(store.resourceVersion(key)).isNull();
    }

    @Test
    void anObjectTakesAFractionOfItsJson() {
        CompactStore store = new CompactStore(SERIALIZATION, Keep.WHOLE);
        GenericKubernetesResource vm = asServerHasIt(job.virtualMachine());
        int json = SERIALIZATION.asJson(vm).length();

        store.put(store.getKey(vm), vm);

        assertThat(store.storedBytes()).isPositive().isLessThan(json * 2 / 3);
    }

    @Test
    void anObjectLikeTheFirstTakesLittleMoreThanWhatDiffers() {
        CompactStore store = new CompactStore(SERIALIZATION, Keep.WHOLE);
        GenericKubernetesResource first = asServerHasIt(job.virtualMachine());
        store.put(store.getKey(first), first);
        long firstBytes = store.storedBytes();

        VmJobFixture other = new VmJobFixture("other-job", "ns");
        GenericKubernetesResource second = asServerHasIt(other.virtualMachine());
        int json = SERIALIZATION.asJson(second).length();
        store.put(store.getKey(second), second);

        assertThat(store.storedBytes() - firstBytes).isLessThan(json / 4);
        JsonNode expected = tree(second);
        assertThat(tree(store.get("ns/" + other.vmName()))).isEqualTo(expected);
        assertThat(tree(store.get("ns/" + job.vmName()))).isEqualTo(tree(first));
    }

    /** An object as a list or watch brings it: a generic resource with a namespace and a version. */
    static GenericKubernetesResource asServerHasIt(HasMetadata object) {
        GenericKubernetesResource generic = SERIALIZATION.convertValue(object, GenericKubernetesResource.class);
        if (generic.getMetadata().getNamespace() == null && !"PersistentVolume".equals(generic.getKind())) {
            generic.getMetadata().setNamespace("ns");
        }
        generic.getMetadata().setResourceVersion("1");
        generic.getMetadata().setUid("uid-" + generic.getMetadata().getName());
        return generic;
    }

    static GenericKubernetesResource withManagedFields(GenericKubernetesResource object) {
        GenericKubernetesResource copy = SERIALIZATION.clone(object);
        copy.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("ucloud-im")
                .withOperation("Update").withApiVersion("v1").build()));
        return copy;
    }

    static JsonNode tree(Object object) {
        return SERIALIZATION.convertValue(object, JsonNode.class);
    }
}
