package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.simulator.RequestCounts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler reading from an {@link ObjectCache}: nothing to do costs no request, and nothing is ever
 * written from a stale view (a stale version meets 409 and is read again from the API server; an object the
 * cache misses meets 409 on create and is read too).
 */
class CachedReconcileTest extends EmbeddedClusterTest {

    private static final ResourceDefinitionContext SECRETS = ResourceDefinitionContext.fromResourceType(Secret.class);

    VmJobFixture job;
    InformerObjectCache objectCache;

    @BeforeEach
    void setUp() {
        job = new VmJobFixture(unique, namespace);
    }

    @AfterEach
    void closeCache() {
        if (objectCache != null) {
            objectCache.close();
        }
    }

    @Test
    void aReconcileThatFindsEverythingAsWantedInTheCacheMakesNoRequest() {
        objectCache = new InformerObjectCache(informersOn(client));
        objectCache.start();
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace, objectCache);
        reconciler.reconcile(job.desired());
        await().until(() -> "Running".equals(printableStatus(job.vmName())));
        awaitSimulatorIdle();
        awaitCaughtUp(objectCache, job.desired());
        counter.reset();

        GenericKubernetesResource vm = reconciler.knownVirtualMachine(unique).orElseThrow();
        ReconcileResult again = reconciler.reconcile(job.desired(), vm);

        assertThat(again.unchanged()).isTrue();
        assertThat(counter.snapshot().total()).as("requests: %s", counter.snapshot().byVerbAndResource()).isZero();
    }

    @Test
    void aChangeFoundInTheCacheIsWrittenWithTheCachedVersionAndNothingElseIsRead() {
        objectCache = new InformerObjectCache(informersOn(client));
        objectCache.start();
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace, objectCache);
        reconciler.reconcile(job.desired());
        awaitSimulatorIdle();
        awaitCaughtUp(objectCache, job.desired());
        counter.reset();

        ReconcileResult result = reconciler.reconcile(job.userData("#cloud-config\n# v2\n").desired(),
                reconciler.knownVirtualMachine(unique).orElseThrow());

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name)
                .containsExactly(job.vmName() + "-cloud-init");
        assertThat(counter.snapshot().byVerb()).containsExactlyInAnyOrderEntriesOf(Map.of(ApiVerb.UPDATE, 1L));
        // Read back at once: the IM's own write, before (or whether or not) the watch has brought it.
        assertThat(userData(objectCache.lookup(SECRETS, job.vmName() + "-cloud-init").object()))
                .isEqualTo("#cloud-config\n# v2\n");
    }

    @Test
    void aStaleCachedObjectConflictsAndIsWrittenFromAFreshRead() {
        ObjectReconciler plain = new ObjectReconciler(client, namespace);
        plain.reconcile(job.desired());
        String secretName = job.vmName() + "-cloud-init";
        FrozenCache frozen = FrozenCache.of(admin, namespace, job.desired());
        // Someone changes the Secret after the cache saw it: the cache's version is stale.
        admin.secrets().inNamespace(namespace).withName(secretName)
                .edit(secret -> {
                    secret.getMetadata().getLabels().put("example.org/audited", "yes");
                    return secret;
                });
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace, frozen);
        counter.reset();

        ReconcileResult result = reconciler.reconcile(job.userData("#cloud-config\n# v2\n").desired(),
                frozen.lookup(KubeVirtApi.virtualMachines(), job.vmName()).object());

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name).containsExactly(secretName);
        RequestCounts counts = counter.snapshot();
        // The write from the cache meets 409; the object is read from the API server and written again.
        assertThat(counts.byVerbAndResource()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "update secrets", 2L, "get secrets", 1L));
        Secret secret = admin.secrets().inNamespace(namespace).withName(secretName).get();
        assertThat(secret.getMetadata().getLabels()).containsEntry("example.org/audited", "yes");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("userdata")), StandardCharsets.UTF_8))
                .isEqualTo("#cloud-config\n# v2\n");
        assertThat(frozen.seen).contains(secretName);
    }

    @Test
    void anObjectTheCacheMissesIsCreatedAndOnConflictReadFromTheServer() {
        ObjectReconciler plain = new ObjectReconciler(client, namespace);
        plain.reconcile(job.desired());
        FrozenCache frozen = FrozenCache.of(admin, namespace, job.desired());
        String secretName = job.vmName() + "-cloud-init";
        frozen.forget(SECRETS, secretName);
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace, frozen);
        counter.reset();

        ReconcileResult result = reconciler.reconcile(job.desired(),
                frozen.lookup(KubeVirtApi.virtualMachines(), job.vmName()).object());

        assertThat(result.unchanged()).isTrue();
        assertThat(counter.snapshot().byVerbAndResource()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "create secrets", 1L, "get secrets", 1L));
    }

    @Test
    void anObjectDeletedBehindTheCacheIsMadeAgain() {
        ObjectReconciler plain = new ObjectReconciler(client, namespace);
        plain.reconcile(job.desired());
        FrozenCache frozen = FrozenCache.of(admin, namespace, job.desired());
        String secretName = job.vmName() + "-cloud-init";
        admin.secrets().inNamespace(namespace).withName(secretName).delete();
        await().until(() -> admin.secrets().inNamespace(namespace).withName(secretName).get() == null);
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace, frozen);
        counter.reset();

        ReconcileResult result = reconciler.reconcile(job.userData("#cloud-config\n# v3\n").desired(),
                frozen.lookup(KubeVirtApi.virtualMachines(), job.vmName()).object());

        assertThat(result.only(ObjectChange.Action.CREATED)).extracting(ObjectChange::name).containsExactly(secretName);
        assertThat(counter.snapshot().byVerbAndResource()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "update secrets", 1L, "get secrets", 1L, "create secrets", 1L));
    }

    @Test
    void theCacheHoldsOnlyThePluginsObjectsAndThemWithoutManagedFields() {
        admin.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("ours").addToLabels("app.kubernetes.io/managed-by", "ucloud-im")
                .addNewManagedField().withManager("kubectl").withOperation("Update").withApiVersion("v1")
                .endManagedField()
                .endMetadata().addToData("k", "dg==").build()).create();
        admin.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("theirs").endMetadata().build()).create();
        objectCache = new InformerObjectCache(informersOn(client));
        objectCache.start();

        GenericKubernetesResource ours = objectCache.lookup(SECRETS, "ours").object();
        assertThat(ours).isNotNull();
        assertThat(ours.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(objectCache.lookup(SECRETS, "theirs")).isEqualTo(ObjectCache.Lookup.ABSENT);
        assertThat(objectCache.lookup(ResourceDefinitionContext.fromResourceType(
                io.fabric8.kubernetes.api.model.ConfigMap.class), "ours")).isEqualTo(ObjectCache.Lookup.UNKNOWN);
        assertThat(admin.secrets().inNamespace(namespace).withName("ours").get().getMetadata().getManagedFields())
                .hasSize(1);
    }

    @Test
    void whatTheImWroteIsReadBackUntilTheInformerCatchesUp() {
        admin.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("written").addToLabels("app.kubernetes.io/managed-by", "ucloud-im")
                .endMetadata().build()).create();
        objectCache = new InformerObjectCache(informersOn(client));
        objectCache.start();
        GenericKubernetesResource listed = objectCache.lookup(SECRETS, "written").object();
        long version = Long.parseLong(listed.getMetadata().getResourceVersion());

        // As the reconciler reports an update the watch has not brought yet: a newer version.
        GenericKubernetesResource newer = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder(listed)
                .editMetadata().withResourceVersion(Long.toString(version + 1_000_000)).addToLabels("step", "ours")
                .endMetadata().build();
        objectCache.seen(SECRETS, newer);
        assertThat(objectCache.lookup(SECRETS, "written").object().getMetadata().getLabels()).containsEntry("step", "ours");

        // A deletion likewise: absent at once, although the informer still shows it.
        objectCache.gone(SECRETS, "written");
        assertThat(objectCache.lookup(SECRETS, "written")).isEqualTo(ObjectCache.Lookup.ABSENT);
        assertThat(objectCache.list(SECRETS)).extracting(secret -> secret.getMetadata().getName()).contains("written");

        // Once the informer shows the deletion, what was kept aside goes.
        admin.secrets().inNamespace(namespace).withName("written").delete();
        await().until(() -> objectCache.list(SECRETS).isEmpty() && objectCache.pendingCount() == 0);
        assertThat(objectCache.lookup(SECRETS, "written")).isEqualTo(ObjectCache.Lookup.ABSENT);
    }

    @Test
    void aWriteTheWatchBroughtBeforeItsRequestReturnedKeepsNothingAside() {
        objectCache = new InformerObjectCache(informersOn(client));
        objectCache.start();
        admin.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("early").addToLabels("app.kubernetes.io/managed-by", "ucloud-im")
                .endMetadata().build()).create();
        await().until(() -> objectCache.lookup(SECRETS, "early").object() != null);
        GenericKubernetesResource shown = objectCache.lookup(SECRETS, "early").object();

        // As the reconciler reports its write once the watch has brought it already: no event is left to
        // settle an entry, so none is made (with 1,000 jobs, one each would stay for ever).
        objectCache.seen(SECRETS, shown);

        assertThat(objectCache.pendingCount()).isZero();
        assertThat(objectCache.lookup(SECRETS, "early").object().getMetadata().getResourceVersion())
                .isEqualTo(shown.getMetadata().getResourceVersion());
    }

    /** Waits until the objectCache show every object of the job as the server has it. */
    private void awaitCaughtUp(ObjectCache cache, DesiredObjects desired) {
        await().until(() -> objectsOf(desired).stream().allMatch(object -> {
            GenericKubernetesResource cached = cache.lookup(object.context(), object.name()).object();
            GenericKubernetesResource server = read(object.context(), object.name());
            return cached != null && server != null && Objects.equals(cached.getMetadata().getResourceVersion(),
                    server.getMetadata().getResourceVersion());
        }) && objectCache.pendingCount() == 0);
    }

    private GenericKubernetesResource read(ResourceDefinitionContext context, String name) {
        return context.isNamespaceScoped()
                ? admin.genericKubernetesResources(context).inNamespace(namespace).withName(name).get()
                : admin.genericKubernetesResources(context).withName(name).get();
    }

    private static String userData(GenericKubernetesResource secret) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) secret.getAdditionalProperties().get("data");
        return new String(Base64.getDecoder().decode((String) data.get("userdata")), StandardCharsets.UTF_8);
    }

    record Named(ResourceDefinitionContext context, String name) {
    }

    static List<Named> objectsOf(DesiredObjects desired) {
        List<Named> all = new ArrayList<>();
        all.add(new Named(KubeVirtApi.virtualMachines(), desired.vm().getMetadata().getName()));
        List<HasMetadata> rest = new ArrayList<>(desired.volumes());
        rest.addAll(desired.ownedByVm());
        for (HasMetadata object : rest) {
            all.add(new Named(ResourceDefinitionContext.fromResourceType(object.getClass()),
                    object.getMetadata().getName()));
        }
        return all;
    }

    /** A cache that shows the objects as they were when it was made, and records what it was told. */
    static final class FrozenCache implements ObjectCache {
        final Map<String, GenericKubernetesResource> objects = new HashMap<>();
        final List<String> seen = new ArrayList<>();

        static FrozenCache of(io.fabric8.kubernetes.client.KubernetesClient admin, String namespace,
                              DesiredObjects desired) {
            FrozenCache cache = new FrozenCache();
            for (Named object : objectsOf(desired)) {
                GenericKubernetesResource found = object.context().isNamespaceScoped()
                        ? admin.genericKubernetesResources(object.context()).inNamespace(namespace)
                        .withName(object.name()).get()
                        : admin.genericKubernetesResources(object.context()).withName(object.name()).get();
                cache.objects.put(key(object.context(), object.name()), found);
            }
            return cache;
        }

        void forget(ResourceDefinitionContext context, String name) {
            objects.remove(key(context, name));
        }

        @Override
        public Lookup lookup(ResourceDefinitionContext context, String name) {
            GenericKubernetesResource object = objects.get(key(context, name));
            return object == null ? Lookup.ABSENT : Lookup.present(object);
        }

        @Override
        public void seen(ResourceDefinitionContext context, HasMetadata object) {
            seen.add(object.getMetadata().getName());
        }

        @Override
        public void gone(ResourceDefinitionContext context, String name) {
        }

        private static String key(ResourceDefinitionContext context, String name) {
            return context.getPlural() + "/" + name;
        }
    }
}
