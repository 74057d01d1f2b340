package dk.sdu.cloud.im.testdata;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stored subset of Kubernetes' schemas is whole (every reference resolves, nothing is kept that no kind
 * needs), and the validator accepts what the API server accepts and refuses misspelt fields and wrong types.
 */
class KubernetesSchemasTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REF = "#/components/schemas/";
    private static KubernetesSchemas schemas;

    @BeforeAll
    static void load() {
        schemas = KubernetesSchemas.load();
    }

    private static JsonNode components() {
        return JSON.readTree(TestData.read(TestData.KUBERNETES_SCHEMAS)).path("components").path("schemas");
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void theSixKindsHaveASchema() {
        assertThat(schemas.kinds()).containsExactlyInAnyOrder("v1/Service", "v1/PersistentVolume",
                "v1/PersistentVolumeClaim", "v1/Secret", "networking.k8s.io/v1/NetworkPolicy",
                "networking.k8s.io/v1/Ingress");
    }

    @Test
    void everyReferenceResolvesAndEverySchemaIsNeededByAKind() {
        JsonNode components = components();
        Set<String> names = new TreeSet<>(components.propertyNames());
        Set<String> reached = new HashSet<>();
        Deque<String> next = new ArrayDeque<>();
        components.properties().forEach(component -> {
            if (component.getValue().has("x-kubernetes-group-version-kind")) {
                next.add(component.getKey());
            }
        });
        while (!next.isEmpty()) {
            String name = next.pop();
            if (reached.add(name)) {
                for (String ref : references(components.path(name))) {
                    assertThat(ref).as("a reference in " + name).startsWith(REF);
                    String target = ref.substring(REF.length());
                    assertThat(names).as("the target of a reference in " + name).contains(target);
                    next.add(target);
                }
            }
        }
        assertThat(reached).as("schemas a kind needs").isEqualTo(names);
        assertThat(names).hasSize(77);
    }

    @Test
    void noDescriptionIsKeptAndTheRequiredFieldsAreUpstreams() {
        JsonNode components = components();
        assertThat(components.toString()).doesNotContain("\"description\"");
        // Spot checks against the upstream documents (testdata/README.md).
        assertThat(components.at("/io.k8s.api.core.v1.ServicePort/required").toString()).isEqualTo("[\"port\"]");
        assertThat(components.at("/io.k8s.api.networking.v1.HTTPIngressPath/required").toString())
                .isEqualTo("[\"pathType\",\"backend\"]");
        assertThat(components.at("/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference/required").toString())
                .isEqualTo("[\"apiVersion\",\"kind\",\"name\",\"uid\"]");
        assertThat(components.at("/io.k8s.api.core.v1.ISCSIPersistentVolumeSource/required").toString())
                .isEqualTo("[\"targetPortal\",\"iqn\",\"lun\"]");
        assertThat(components.at("/io.k8s.apimachinery.pkg.util.intstr.IntOrString/oneOf").toString())
                .isEqualTo("[{\"type\":\"integer\"},{\"type\":\"string\"}]");
        assertThat(components.at("/io.k8s.api.core.v1.ServiceSpec/properties/ports/x-kubernetes-list-map-keys")
                .toString()).isEqualTo("[\"port\",\"protocol\"]");
    }

    private static List<String> references(JsonNode node) {
        List<String> refs = new java.util.ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asString());
                } else {
                    refs.addAll(references(field.getValue()));
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> refs.addAll(references(element)));
        }
        return refs;
    }

    static final String SERVICE = """
            {"apiVersion": "v1", "kind": "Service",
             "metadata": {"name": "j-4242", "namespace": "ucloud-apps", "labels": {"ucloud.dk/jobId": "4242"},
                          "ownerReferences": [{"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine",
                                               "name": "vm-4242-0", "uid": "u-1", "controller": true}]},
             "spec": {"type": "ClusterIP", "clusterIP": "None", "selector": {"ucloud.dk/jobId": "4242"},
                      "ports": [{"name": "ssh", "port": 22, "targetPort": 22, "protocol": "TCP"},
                                {"name": "web", "port": 80, "targetPort": "http"}],
                      "externalIPs": ["10.135.0.20"]}}
            """;

    static final String NETWORK_POLICY = """
            {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
             "metadata": {"name": "policy-4242", "namespace": "ucloud-apps"},
             "spec": {"podSelector": {"matchLabels": {"ucloud.dk/jobId": "4242"}},
                      "policyTypes": ["Ingress", "Egress"],
                      "ingress": [{"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}],
                                   "ports": [{"port": 8000, "endPort": 8100, "protocol": "TCP"}]}],
                      "egress": [{"to": [{"namespaceSelector": {}, "podSelector": {"matchExpressions":
                                   [{"key": "ucloud.dk/jobId", "operator": "In", "values": ["4242"]}]}}]}]}}
            """;

    static final String INGRESS = """
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
             "metadata": {"name": "ingress-4242-4601", "namespace": "ucloud-apps"},
             "spec": {"ingressClassName": "nginx",
                      "tls": [{"hosts": ["app-notebook.apps.hpc.example.org"]}],
                      "rules": [{"host": "app-notebook.apps.hpc.example.org",
                                 "http": {"paths": [{"path": "/", "pathType": "Prefix",
                                   "backend": {"service": {"name": "j-4242", "port": {"number": 8080}}}}]}}]}}
            """;

    static final String VOLUME_AND_CLAIM = """
            [{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "vm-4242-0"},
              "spec": {"capacity": {"storage": "60Gi"}, "accessModes": ["ReadWriteOnce"],
                       "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "",
                       "hostPath": {"path": "/srv/ucloud/4242", "type": "Directory"},
                       "csi": {"driver": "cephfs.csi.ceph.com", "volumeHandle": "h", "readOnly": false,
                               "volumeAttributes": {"rootPath": "/volumes"},
                               "nodeStageSecretRef": {"name": "ceph", "namespace": "ceph-csi"}}}},
             {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
              "metadata": {"name": "vm-4242-0", "namespace": "ucloud-apps"},
              "spec": {"accessModes": ["ReadWriteOnce"], "volumeName": "vm-4242-0", "storageClassName": "",
                       "resources": {"requests": {"storage": "60Gi"}}}},
             {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "vm-4242-0-cloud-init"},
              "type": "Opaque", "data": {"userdata": "I2Nsb3VkLWNvbmZpZw=="}}]
            """;

    @Test
    void validObjectsOfEveryKindPass() {
        assertThat(schemas.validate(parse(SERVICE))).isEmpty();
        assertThat(schemas.validate(parse(NETWORK_POLICY))).isEmpty();
        assertThat(schemas.validate(parse(INGRESS))).isEmpty();
        for (JsonNode object : (ArrayNode) JSON.readTree(VOLUME_AND_CLAIM)) {
            assertThat(schemas.validate(object)).as(object.path("kind").asString()).isEmpty();
        }
    }

    private static List<String> errorsAfter(String valid, Consumer<ObjectNode> change) {
        ObjectNode object = parse(valid);
        assertThat(schemas.validate(object)).as("the unchanged object is valid").isEmpty();
        change.accept(object);
        return schemas.validate(object);
    }

    @Test
    void aMisspeltFieldIsRefusedAtAnyDepth() {
        assertThat(errorsAfter(SERVICE, s -> ((ObjectNode) s.path("spec")).set("prots", s.path("spec").path("ports"))))
                .singleElement().asString().contains("prots");
        assertThat(errorsAfter(SERVICE, s -> ((ObjectNode) s.path("metadata")).put("lables", "x")))
                .singleElement().asString().contains("lables");
        assertThat(errorsAfter(NETWORK_POLICY, p -> ((ObjectNode) p.at("/spec/ingress/0/from/0/ipBlock")).put("cdir", "1.2.3.4/32")))
                .anySatisfy(error -> assertThat(error).contains("cdir"));
        assertThat(errorsAfter(INGRESS, i -> ((ObjectNode) i.at("/spec/rules/0/http/paths/0/backend/service/port")).put("numbr", 80)))
                .singleElement().asString().contains("numbr");
    }

    @Test
    void aPortAsAStringWhereKubernetesWantsANumberIsRefused() {
        assertThat(errorsAfter(SERVICE, s -> ((ObjectNode) s.at("/spec/ports/0")).put("port", "22")))
                .singleElement().asString().contains("/spec/ports/0/port");
        assertThat(errorsAfter(INGRESS, i -> ((ObjectNode) i.at("/spec/rules/0/http/paths/0/backend/service/port"))
                .put("number", "8080"))).singleElement().asString().contains("number");
        assertThat(errorsAfter(NETWORK_POLICY, p -> ((ObjectNode) p.at("/spec/ingress/0/ports/0")).put("endPort", "8100")))
                .singleElement().asString().contains("endPort");
    }

    @Test
    void anIntOrStringTakesEitherButNothingElse() {
        assertThat(errorsAfter(SERVICE, s -> ((ObjectNode) s.at("/spec/ports/0")).put("targetPort", "ssh"))).isEmpty();
        assertThat(errorsAfter(SERVICE, s -> ((ObjectNode) s.at("/spec/ports/0")).put("targetPort", true)))
                .isNotEmpty().allSatisfy(error -> assertThat(error).contains("targetPort"));
        assertThat(errorsAfter(NETWORK_POLICY, p -> ((ObjectNode) p.at("/spec/ingress/0/ports/0")).put("port", 22.5)))
                .isNotEmpty();
    }

    @Test
    void aMissingRequiredFieldOrAWrongShapeIsRefused() {
        assertThat(errorsAfter(INGRESS, i -> ((ObjectNode) i.at("/spec/rules/0/http/paths/0")).remove("pathType")))
                .singleElement().asString().contains("pathType");
        assertThat(errorsAfter(NETWORK_POLICY, p -> ((ObjectNode) p.at("/spec/ingress/0/from/0/ipBlock")).remove("cidr")))
                .singleElement().asString().contains("cidr");
        assertThat(errorsAfter(SERVICE, s -> ((ObjectNode) s.path("spec")).put("externalIPs", "10.135.0.20")))
                .singleElement().asString().contains("externalIPs");
        assertThat(errorsAfter(SERVICE, s -> ((ObjectNode) s.path("spec")).putObject("selector").put("app", 1)))
                .singleElement().asString().contains("selector");
    }

    @Test
    void anObjectOfAnotherKindIsNotGuessedAt() {
        ObjectNode configMap = parse("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"}}");
        assertThat(schemas.knows(configMap)).isFalse();
        assertThat(schemas.knows(parse(SERVICE))).isTrue();
        assertThatThrownBy(() -> schemas.validate(configMap)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1/ConfigMap");
        ObjectNode wrongGroup = parse(INGRESS).put("apiVersion", "extensions/v1beta1");
        assertThatThrownBy(() -> schemas.validate(wrongGroup)).hasMessageContaining("extensions/v1beta1/Ingress");
    }

    @Test
    void theExampleResourcesFileNamesTheResourcesOfTheNetworkedJob() {
        JsonNode resources = JSON.readTree(TestData.read(TestData.NETWORK_RESOURCES));
        JsonNode job = JSON.readTree(TestData.read(TestData.VM_JOB_NETWORKED));
        Map<String, String> listOfType = Map.of("network", "publicIps", "ingress", "publicLinks",
                "private_network", "privateNetworks");
        int networked = 0;
        for (JsonNode resource : job.at("/specification/resources")) {
            String list = listOfType.get(resource.path("type").asString());
            if (list != null) {
                networked++;
                assertThat(resources.path(list).findValuesAsString("id")).as(list).contains(resource.path("id").asString());
            }
        }
        assertThat(networked).isEqualTo(4);
        assertThat(job.at("/specification/resources").findValues("port")).extracting(JsonNode::asInt)
                .containsExactly(8080, 8443);
    }
}
