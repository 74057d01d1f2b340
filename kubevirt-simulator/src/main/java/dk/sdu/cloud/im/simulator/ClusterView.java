package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulator's controllers see of the cluster (its informers' caches) and how they change it. Every
 * write is a JSON patch (RFC 6902), which the mock server applies faithfully, unlike its merge patch.
 */
final class ClusterView {

    private final KubernetesClient client;
    private final String namespace;
    private final Map<ResourceDefinitionContext, SharedIndexInformer<GenericKubernetesResource>> informers =
            new ConcurrentHashMap<>();

    ClusterView(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    void register(ResourceDefinitionContext kind, SharedIndexInformer<GenericKubernetesResource> informer) {
        informers.put(kind, informer);
    }

    /** The cached object, or null. */
    GenericKubernetesResource cached(ResourceDefinitionContext kind, String name) {
        String key = kind.isNamespaceScoped() ? namespace + "/" + name : name;
        return informers.get(kind).getStore().getByKey(key);
    }

    /** The cached objects an index of the kind's informer files under a value (none if it files none there). */
    List<GenericKubernetesResource> cachedBy(ResourceDefinitionContext kind, String index, String value) {
        return informers.get(kind).getIndexer().byIndex(index, value);
    }

    /** The object as the server has it now, or null. */
    GenericKubernetesResource live(ResourceDefinitionContext kind, String name) {
        return resource(kind, name).get();
    }

    /** The cached object, else the object as the server has it now (a cache may lag behind), or null. */
    GenericKubernetesResource find(ResourceDefinitionContext kind, String name) {
        GenericKubernetesResource cached = informers.containsKey(kind) ? cached(kind, name) : null;
        return cached != null ? cached : live(kind, name);
    }

    GenericKubernetesResource create(ResourceDefinitionContext kind, GenericKubernetesResource object) {
        return kind.isNamespaceScoped()
                ? client.genericKubernetesResources(kind).inNamespace(namespace).resource(object).create()
                : client.genericKubernetesResources(kind).resource(object).create();
    }

    /**
     * Records a Kubernetes Event about an object (what {@code kubectl describe} shows under Events), as a
     * controller's event recorder does.
     */
    void recordEvent(ResourceDefinitionContext kind, String name, String type, String reason, String message) {
        GenericKubernetesResource object = cached(kind, name);
        String now = java.time.Instant.now().toString();
        io.fabric8.kubernetes.api.model.ObjectReference involved = new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                .withApiVersion(kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion())
                .withKind(kind.getKind()).withNamespace(namespace).withName(name)
                .withUid(object == null ? null : object.getMetadata().getUid()).build();
        client.v1().events().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withGenerateName(name + ".").withNamespace(namespace).endMetadata()
                .withInvolvedObject(involved).withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("kubevirt-simulator").endSource()
                .build()).create();
    }

    /** Deletes an object; true if it was there. */
    boolean delete(ResourceDefinitionContext kind, String name) {
        return !resource(kind, name).delete().isEmpty();
    }

    /** Replaces one top-level field ({@code status}, or a path such as {@code spec/claimRef}). */
    GenericKubernetesResource set(ResourceDefinitionContext kind, String name, String path, Object value) {
        String patch = client.getKubernetesSerialization().asJson(
                List.of(Map.of("op", "add", "path", "/" + path, "value", value)));
        Resource<GenericKubernetesResource> target = itemResource(kind, name);
        PatchContext json = PatchContext.of(PatchType.JSON);
        return path.equals("status") ? target.status().patch(json, patch) : target.patch(json, patch);
    }

    private Resource<GenericKubernetesResource> resource(ResourceDefinitionContext kind, String name) {
        return kind.isNamespaceScoped()
                ? client.genericKubernetesResources(kind).inNamespace(namespace).withName(name)
                : client.genericKubernetesResources(kind).withName(name);
    }

    // Patching a resource that has an item does not GET the object first (fabric8 does when it has only a name).
    private Resource<GenericKubernetesResource> itemResource(ResourceDefinitionContext kind, String name) {
        GenericKubernetesResource stub = new GenericKubernetesResourceBuilder()
                .withApiVersion(kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion())
                .withKind(kind.getKind())
                .withNewMetadata().withName(name).withNamespace(kind.isNamespaceScoped() ? namespace : null).endMetadata()
                .build();
        return kind.isNamespaceScoped()
                ? client.genericKubernetesResources(kind).inNamespace(namespace).resource(stub)
                : client.genericKubernetesResources(kind).resource(stub);
    }
}
