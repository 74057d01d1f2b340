package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dk.sdu.cloud.im.simulator.Awaits.await;

/** The spike: what fabric8's mock server (8.0.0, CRUD mode) does for the things we rely on. */
class MockServerFactsTest {

    static EmbeddedKubernetes embedded;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        embedded = EmbeddedKubernetes.start();
        client = embedded.newClient();
    }

    @AfterAll
    static void stop() {
        embedded.close();
    }

    static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext KUBEVIRT_VM =
            new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup("kubevirt.io")
                    .withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines").withNamespaced(true).build();

    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> vms() {
        return client.genericKubernetesResources("kubevirt.io/v1", "VirtualMachine");
    }

    static GenericKubernetesResource vm(String name, Map<String, String> labels) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                .withNewMetadata().withName(name).withNamespace("test").withLabels(labels).endMetadata()
                .addToAdditionalProperties("spec", Map.of("runStrategy", "Always",
                        "template", Map.of("spec", Map.of("volumes", List.of(Map.of("name", "a"), Map.of("name", "b"))))))
                .build();
    }

    @Test
    void genericVirtualMachinesHaveCrud() {
        GenericKubernetesResource created = vms().inNamespace("test").resource(vm("crud", Map.of())).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat((String) vms().inNamespace("test").withName("crud").get().get("spec", "runStrategy")).isEqualTo("Always");
        assertThat(vms().inNamespace("test").list().getItems()).extracting(r -> r.getMetadata().getName()).contains("crud");
        assertThatThrownBy(() -> vms().inNamespace("test").resource(vm("crud", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(vms().inNamespace("test").withName("crud").delete()).hasSize(1);
        assertThat(vms().inNamespace("test").withName("crud").get()).isNull();
        // Deleting what is not there answers 404, which the client turns into an empty result.
        assertThat(vms().inNamespace("test").withName("crud").delete()).isEmpty();
    }

    @Test
    void virtualMachineStatusIsASubresourceAndVmiStatusIsNot() {
        vms().inNamespace("test").resource(vm("with-status", Map.of())).create();
        Resource<GenericKubernetesResource> resource = vms().inNamespace("test").withName("with-status");
        resource.status().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"printableStatus\":\"Running\"}}");
        // A write to the main resource keeps the status...
        GenericKubernetesResource current = resource.get();
        current.setAdditionalProperty("status", Map.of("printableStatus", "Overwritten"));
        current.<Map<String, Object>>get("spec").put("runStrategy", "Halted");
        vms().inNamespace("test").resource(current).update();
        GenericKubernetesResource afterUpdate = resource.get();
        assertThat(afterUpdate.<String>get("status", "printableStatus")).isEqualTo("Running");
        // ...and a write to /status keeps the spec.
        resource.status().patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"runStrategy\":\"Always\"},\"status\":{\"printableStatus\":\"Stopped\"}}");
        GenericKubernetesResource afterStatus = resource.get();
        assertThat(afterStatus.<String>get("status", "printableStatus")).isEqualTo("Stopped");
        assertThat(afterStatus.<String>get("spec", "runStrategy")).isEqualTo("Halted");

        GenericKubernetesResource vmi = new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1").withKind("VirtualMachineInstance")
                .withNewMetadata().withName("with-status").withNamespace("test").endMetadata()
                .addToAdditionalProperties("status", Map.of("phase", "Running")).build();
        GenericKubernetesResource createdVmi = client.genericKubernetesResources("kubevirt.io/v1", "VirtualMachineInstance")
                .inNamespace("test").resource(vmi).create();
        assertThat(createdVmi.<String>get("status", "phase")).isEqualTo("Running");
    }

    @Test
    void generationBumpsOnSpecChangesOnlyAndResourceVersionOnlyOnRealChanges() {
        vms().inNamespace("test").resource(vm("generation", Map.of())).create();
        Resource<GenericKubernetesResource> resource = vms().inNamespace("test").withName("generation");
        GenericKubernetesResource before = resource.get();
        GenericKubernetesResource changed = resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"runStrategy\":\"Halted\"}}");
        assertThat(changed.getMetadata().getResourceVersion()).isNotEqualTo(before.getMetadata().getResourceVersion());
        assertThat(changed.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration() + 1);
        GenericKubernetesResource labelled = resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
        assertThat(labelled.getMetadata().getGeneration()).isEqualTo(changed.getMetadata().getGeneration());

        ConfigMap map = client.resource(new ConfigMapBuilder().withNewMetadata().withName("noop").withNamespace("test")
                .endMetadata().addToData("a", "b").build()).create();
        ConfigMap same = client.configMaps().inNamespace("test").withName("noop")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"a\":\"b\"}}");
        assertThat(same.getMetadata().getResourceVersion()).isEqualTo(map.getMetadata().getResourceVersion());
    }

    @Test
    void aPatchOfACustomResourceWithAStatusSubresourceButNoStatusIsNeverANoOp() {
        GenericKubernetesResource created = vms().inNamespace("test").resource(vm("noop-vm", Map.of())).create();
        GenericKubernetesResource same = vms().inNamespace("test").withName("noop-vm")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"Always\"}}");
        // The mock copies the missing status as "status": null, which counts as a change.
        assertThat(same.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThat(same.getAdditionalProperties()).containsEntry("status", null);
    }

    @Test
    void jsonMergePatchIsJacksonUpdateNotRfc7386() {
        vms().inNamespace("test").resource(vm("merge", Map.of("keep", "1", "drop", "2"))).create();
        Resource<GenericKubernetesResource> resource = vms().inNamespace("test").withName("merge");
        GenericKubernetesResource patched = resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"drop\":null}},"
                        + "\"spec\":{\"template\":{\"spec\":{\"volumes\":[{\"name\":\"c\"}]}}}}");
        List<Map<String, Object>> volumes = patched.get("spec", "template", "spec", "volumes");
        // RFC 7386 would remove the label and replace the list; the mock keeps a null label and appends.
        assertThat(patched.getMetadata().getLabels()).containsEntry("drop", null).containsEntry("keep", "1");
        assertThat(volumes).extracting(v -> v.get("name")).containsExactly("a", "b", "c");
    }

    @Test
    void aPatchWithoutAnItemGetsTheObjectFirst() {
        RequestCounter counter = new RequestCounter();
        KubernetesClient counted = embedded.newClient(counter.installer());
        vms().inNamespace("test").resource(vm("patch-get", Map.of())).create();
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> countedVms =
                counted.genericKubernetesResources(KUBEVIRT_VM);
        countedVms.inNamespace("test").withName("patch-get")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"Halted\"}}");
        assertThat(counter.snapshot().of(ApiVerb.GET)).isEqualTo(1);
        assertThat(counter.snapshot().of(ApiVerb.PATCH)).isEqualTo(1);
        counter.reset();
        countedVms.inNamespace("test").resource(vm("patch-get", Map.of()))
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"Always\"}}");
        assertThat(counter.snapshot().toString()).isEqualTo("patch=1");
    }

    @Test
    void aNameEndingInStatusIsTakenForTheStatusSubresource() {
        vms().inNamespace("test").resource(vm("status", Map.of())).create();
        GenericKubernetesResource current = vms().inNamespace("test").withName("status").get();
        current.<Map<String, Object>>get("spec").put("runStrategy", "Halted");
        current.setAdditionalProperty("status", Map.of("printableStatus", "Stopped"));
        vms().inNamespace("test").resource(current).update();
        GenericKubernetesResource after = vms().inNamespace("test").withName("status").get();
        // The mock sees ".../virtualmachines/status" as the status subresource of nothing and writes the status only.
        assertThat(after.<String>get("spec", "runStrategy")).isEqualTo("Always");
        assertThat(after.<String>get("status", "printableStatus")).isEqualTo("Stopped");
    }

    @Test
    void jsonPatchWorks() {
        vms().inNamespace("test").resource(vm("jsonpatch", Map.of())).create();
        GenericKubernetesResource patched = vms().inNamespace("test").withName("jsonpatch").patch(
                PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/runStrategy\",\"value\":\"Halted\"}]");
        assertThat(patched.<String>get("spec", "runStrategy")).isEqualTo("Halted");
    }

    @Test
    void strategicMergePatchIsUnsupported() {
        vms().inNamespace("test").resource(vm("strategic", Map.of())).create();
        assertThatThrownBy(() -> vms().inNamespace("test").withName("strategic").patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"runStrategy\":\"Halted\"}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
    }

    @Test
    void updateWithAStaleResourceVersionIsAConflict() {
        vms().inNamespace("test").resource(vm("conflict", Map.of())).create();
        GenericKubernetesResource stale = vms().inNamespace("test").withName("conflict").get();
        vms().inNamespace("test").withName("conflict").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"runStrategy\":\"Halted\"}}");
        assertThatThrownBy(() -> vms().inNamespace("test").resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void ownerReferencesAreNotGarbageCollected() {
        GenericKubernetesResource owner = vms().inNamespace("test").resource(vm("owner", Map.of())).create();
        ConfigMap owned = new ConfigMapBuilder().withNewMetadata().withName("owned").withNamespace("test")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                        .withName("owner").withUid(owner.getMetadata().getUid()).build())
                .endMetadata().addToData("a", "b").build();
        client.resource(owned).create();
        vms().inNamespace("test").withName("owner").delete();
        assertThat(client.configMaps().inNamespace("test").withName("owned").get()).isNotNull();
    }

    @Test
    void finalizersDelayDeletion() {
        ConfigMap finalized = new ConfigMapBuilder().withNewMetadata().withName("finalized").withNamespace("test")
                .withFinalizers("example.com/keep").endMetadata().build();
        client.resource(finalized).create();
        client.configMaps().inNamespace("test").withName("finalized").delete();
        ConfigMap marked = client.configMaps().inNamespace("test").withName("finalized").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        client.configMaps().inNamespace("test").withName("finalized").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        assertThat(client.configMaps().inNamespace("test").withName("finalized").get()).isNull();
    }

    @Test
    void labelSelectors() {
        vms().inNamespace("test").resource(vm("sel-a", Map.of("app", "x", "tier", "1"))).create();
        vms().inNamespace("test").resource(vm("sel-b", Map.of("app", "y"))).create();
        vms().inNamespace("test").resource(vm("sel-c", Map.of("other", "z"))).create();
        assertThat(names(vms().inNamespace("test").withLabel("app", "x").list().getItems())).containsExactly("sel-a");
        assertThat(names(vms().inNamespace("test").withLabel("app").list().getItems())).containsExactlyInAnyOrder("sel-a", "sel-b");
        assertThat(names(vms().inNamespace("test").withoutLabel("app").list().getItems())).contains("sel-c").doesNotContain("sel-a", "sel-b");
        assertThat(names(vms().inNamespace("test").withoutLabel("app", "x").list().getItems())).contains("sel-b", "sel-c").doesNotContain("sel-a");
        // "in" and "notin" are ignored (with a warning in the log): the list is not filtered by them at all.
        assertThat(names(vms().inNamespace("test").withLabelIn("app", "x").list().getItems())).contains("sel-a", "sel-b", "sel-c");
    }

    @Test
    void watchesSendCurrentObjectsThenChangesAndFollowLabels() {
        vms().inNamespace("test").resource(vm("watch-a", Map.of("watched", "yes"))).create();
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch watch = vms().inNamespace("test").withLabel("watched", "yes").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            await().until(() -> events.contains("ADDED watch-a"));
            vms().inNamespace("test").withName("watch-a").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"runStrategy\":\"Halted\"}}");
            await().until(() -> events.contains("MODIFIED watch-a"));
            vms().inNamespace("test").withName("watch-a").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"labels\":{\"watched\":\"no\"}}}");
            await().until(() -> events.contains("DELETED watch-a"));
            assertThat(watch).isNotNull();
        }
    }

    @Test
    void informersWithAnExistenceSelectorListThenFollow() {
        vms().inNamespace("inform").resource(vm("inf-a", Map.of("ucloud.dk/jobId", "a"))).create();
        vms().inNamespace("inform").resource(vm("inf-b", Map.of())).create();
        List<String> events = new CopyOnWriteArrayList<>();
        io.fabric8.kubernetes.client.informers.SharedIndexInformer<GenericKubernetesResource> informer =
                vms().inNamespace("inform").withLabel("ucloud.dk/jobId").inform(
                        new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                            @Override
                            public void onAdd(GenericKubernetesResource obj) {
                                events.add("add " + obj.getMetadata().getName());
                            }

                            @Override
                            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                                events.add("update " + newObj.getMetadata().getName());
                            }

                            @Override
                            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                                events.add("delete " + obj.getMetadata().getName());
                            }
                        }, 0);
        try {
            // inform() returns once the first list is in the cache.
            assertThat(informer.getStore().list()).extracting(r -> r.getMetadata().getName()).containsExactly("inf-a");
            vms().inNamespace("inform").resource(vm("inf-c", Map.of("ucloud.dk/jobId", "c"))).create();
            vms().inNamespace("inform").withName("inf-a").delete();
            await().until(() -> events.containsAll(List.of("add inf-a", "add inf-c", "delete inf-a")));
            assertThat(events).doesNotContain("add inf-b");
        } finally {
            informer.close();
        }
    }

    @Test
    void anExpectationAnswersInsteadOfTheStoreAndTheClientDoesNotRetry() {
        embedded.server().expect().post().withPath("/api/v1/namespaces/test/configmaps")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"injected\"}").once();
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName("expected").withNamespace("test").endMetadata().build();
        assertThatThrownBy(() -> client.resource(map).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
        assertThat(client.resource(map).create().getMetadata().getUid()).isNotBlank();
    }

    static List<String> names(List<GenericKubernetesResource> items) {
        return items.stream().map(r -> r.getMetadata().getName()).toList();
    }
}
