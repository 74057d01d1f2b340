package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.testdata.TestData;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The discovery documents: kinds, verbs, short names, groups and versions, as kubectl reads them. */
class ApiDiscoveryTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static EmbeddedKubernetes api;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startApi() {
        api = EmbeddedKubernetes.start();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    @Test
    void theCoreGroupListsTheBuiltInKindsWithKubernetesShortNamesAndVerbs() throws Exception {
        Map<String, APIResource> core = byName(get("/api/v1", APIResourceList.class));

        assertThat(core.get("pods").getShortNames()).containsExactly("po");
        assertThat(core.get("services").getShortNames()).containsExactly("svc");
        assertThat(core.get("persistentvolumeclaims").getShortNames()).containsExactly("pvc");
        assertThat(core.get("persistentvolumes").getShortNames()).containsExactly("pv");
        assertThat(core.get("persistentvolumes").getNamespaced()).isFalse();
        assertThat(core.get("persistentvolumeclaims").getNamespaced()).isTrue();
        assertThat(core.get("pods").getVerbs()).containsExactlyInAnyOrder("create", "delete", "deletecollection",
                "get", "list", "patch", "update", "watch");
        assertThat(core.get("namespaces").getVerbs()).doesNotContain("deletecollection");
        assertThat(core.get("pods/log").getVerbs()).containsExactly("get");
        assertThat(core.get("pods").getKind()).isEqualTo("Pod");
        assertThat(core.get("pods").getSingularName()).isEqualTo("pod");
        assertThat(core.keySet()).contains("secrets", "configmaps", "events", "namespaces", "nodes", "endpoints",
                "serviceaccounts", "persistentvolumes/status");
    }

    @Test
    void kubeVirtsKindsComeFromItsCustomResourceDefinitionsAsUpstreamNamesThem() throws Exception {
        Map<String, APIResource> v1 = byName(get("/apis/kubevirt.io/v1", APIResourceList.class));
        Map<String, CustomResourceDefinition> upstream = upstreamDefinitions();

        for (String crd : List.of("virtualmachines.kubevirt.io", "virtualmachineinstances.kubevirt.io")) {
            var names = upstream.get(crd).getSpec().getNames();
            APIResource served = v1.get(names.getPlural());
            assertThat(served.getKind()).isEqualTo(names.getKind());
            assertThat(served.getSingularName()).isEqualTo(names.getSingular());
            assertThat(served.getShortNames()).isEqualTo(names.getShortNames());
            assertThat(served.getCategories()).isEqualTo(names.getCategories());
            assertThat(served.getNamespaced()).isTrue();
            assertThat(served.getVerbs()).contains("get", "list", "watch", "delete", "patch");
        }
        assertThat(v1.get("virtualmachines").getShortNames()).contains("vm");
        assertThat(v1.get("virtualmachineinstances").getShortNames()).contains("vmi");
        // The status subresource as the CRDs declare it: VMs have one, VMIs none.
        assertThat(v1).containsKey("virtualmachines/status").doesNotContainKey("virtualmachineinstances/status");
        assertThat(byName(get("/apis/cdi.kubevirt.io/v1beta1", APIResourceList.class)).get("datavolumes")
                .getShortNames()).contains("dv");
    }

    @Test
    void theGroupsListTheirVersionsThePreferredOneFirst() throws Exception {
        Map<String, APIGroup> groups = get("/apis", APIGroupList.class).getGroups().stream()
                .collect(Collectors.toMap(APIGroup::getName, Function.identity()));

        assertThat(groups.keySet()).contains("kubevirt.io", "cdi.kubevirt.io", "subresources.kubevirt.io",
                "networking.k8s.io", "apiextensions.k8s.io", "storage.k8s.io");
        APIGroup kubevirt = groups.get("kubevirt.io");
        assertThat(kubevirt.getPreferredVersion().getVersion()).isEqualTo("v1");
        assertThat(kubevirt.getVersions()).extracting(v -> v.getGroupVersion())
                .containsExactly("kubevirt.io/v1", "kubevirt.io/v1alpha3");
        assertThat(get("/apis/kubevirt.io", APIGroup.class).getName()).isEqualTo("kubevirt.io");
        assertThat(get("/api", APIVersions.class).getVersions()).containsExactly("v1");
    }

    @Test
    void networkingAndKubeVirtsSubresourceApiAreListed() throws Exception {
        Map<String, APIResource> networking = byName(get("/apis/networking.k8s.io/v1", APIResourceList.class));
        assertThat(networking.get("networkpolicies").getShortNames()).containsExactly("netpol");
        assertThat(networking.get("ingresses").getShortNames()).containsExactly("ing");

        Map<String, APIResource> subresources = byName(get("/apis/subresources.kubevirt.io/v1",
                APIResourceList.class));
        assertThat(subresources.get("virtualmachineinstances/console").getVerbs()).containsExactly("get");
        assertThat(subresources.get("virtualmachineinstances/vnc").getVerbs()).containsExactly("get");
        assertThat(subresources.get("virtualmachines/start").getVerbs()).containsExactly("update");
        assertThat(subresources).containsKeys("virtualmachines/stop", "virtualmachines/restart");
    }

    @Test
    void versionSaysWhichKubernetesItFollows() throws Exception {
        HttpResponse<String> version = fetch("/version");
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).contains("\"major\":\"1\"").contains("ucloud-im-embedded");
    }

    @Test
    void aGroupOrVersionNotServedIs404AndObjectPathsStayTheStores() throws Exception {
        assertThat(fetch("/apis/apps/v1").statusCode()).isEqualTo(404);
        assertThat(fetch("/apis/kubevirt.io/v2").statusCode()).isEqualTo(404);
        assertThat(fetch("/openapi/v2").statusCode()).isEqualTo(404);
        // A list is not taken for discovery.
        assertThat(fetch("/api/v1/namespaces/test/pods").body()).contains("\"items\"");
    }

    @Test
    void theOpenApiDocumentsTellKubectlThatTheServerValidatesFields() throws Exception {
        HttpResponse<String> root = fetch("/openapi/v3");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("\"api/v1\":{\"serverRelativeURL\":\"/openapi/v3/api/v1?hash=")
                .contains("\"apis/kubevirt.io/v1\":").contains("\"apis/networking.k8s.io/v1\":");

        String kubevirt = fetch("/openapi/v3/apis/kubevirt.io/v1").body();
        assertThat(kubevirt).contains("\"/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachines/{name}\":{\"patch\":"
                + "{\"x-kubernetes-group-version-kind\":{\"group\":\"kubevirt.io\",\"version\":\"v1\",\"kind\":"
                + "\"VirtualMachine\"},\"parameters\":[{\"name\":\"fieldValidation\",\"in\":\"query\"");
        assertThat(fetch("/openapi/v3/api/v1").body()).contains("\"/api/v1/persistentvolumes/{name}\"")
                .doesNotContain("/status/{name}");
        assertThat(fetch("/openapi/v3/apis/apps/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void versionsAreOrderedAsKubernetesPrefersThem() {
        List<String> versions = new ArrayList<>(List.of("v1alpha3", "v1beta1", "v2", "v1", "v2beta2", "v2beta1",
                "foo"));
        versions.sort(ApiDiscovery::byPriority);
        assertThat(versions).containsExactly("v2", "v1", "v2beta2", "v2beta1", "v1beta1", "v1alpha3", "foo");
    }

    @Test
    void aDefinitionsUnservedVersionIsNotListed() {
        CustomResourceDefinition crd = upstreamDefinitions().get("virtualmachines.kubevirt.io");
        crd.getSpec().getVersions().get(1).setServed(false);
        List<ApiDiscovery.Resource> resources = ApiDiscovery.fromDefinition(crd);
        assertThat(resources).extracting(ApiDiscovery.Resource::version).containsOnly("v1");
        assertThat(new ApiDiscovery(JSON).document("/apis/nothing.example/v1", List.of(crd), "h:1")).isEqualTo(Optional.empty());
    }

    private static <T> T get(String path, Class<T> type) throws Exception {
        HttpResponse<String> response = fetch(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return JSON.unmarshal(response.body(), type);
    }

    private static HttpResponse<String> fetch(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.url()).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, APIResource> byName(APIResourceList list) {
        return list.getResources().stream().collect(Collectors.toMap(APIResource::getName, Function.identity()));
    }

    private static Map<String, CustomResourceDefinition> upstreamDefinitions() {
        return CrdResourcesTest.upstream(TestData.KUBEVIRT_CRDS).stream()
                .collect(Collectors.toMap(crd -> crd.getMetadata().getName(), Function.identity()));
    }
}
