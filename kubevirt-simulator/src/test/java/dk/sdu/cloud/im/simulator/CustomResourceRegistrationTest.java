package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The embedded API creates its CRDs in the store without a client (for a quicker start); a client must see
 * them exactly as if an operator had POSTed them, which the reference does: fabric8's own CRUD mock server, the
 * same file's CRDs created through a client as {@code EmbeddedKubernetes} created them before.
 */
class CustomResourceRegistrationTest {

    private static final String CRDS_PATH = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aListShowsTheCrdsAsAClientsPostsWouldHaveStoredThem() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        KubernetesMockServer reference = postedThroughAClient();
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            JsonNode expected = JSON.readTree(reference.createClient().raw(reference.url("/" + CRDS_PATH)));
            JsonNode actual = JSON.readTree(embedded.newClient().raw(embedded.url() + CRDS_PATH));
            Instant after = Instant.now();

            assertThat(actual.path("items").size()).isEqualTo(3);
            for (JsonNode item : actual.path("items")) {
                assertThatCode(() -> UUID.fromString(item.path("metadata").path("uid").asString()))
                        .doesNotThrowAnyException();
                assertThat(Instant.parse(item.path("metadata").path("creationTimestamp").asString()))
                        .isBetween(before, after);
            }
            // uid (a process-wide counter) and creationTimestamp (the second) are all that may differ.
            assertThat(withoutUidAndTime(actual)).isEqualTo(withoutUidAndTime(expected));
        } finally {
            reference.destroy();
        }
    }

    @Test
    void aWatchStartsWithTheObjectsAListShows() throws Exception {
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            KubernetesClient client = embedded.newClient();
            var crds = client.genericKubernetesResources("apiextensions.k8s.io/v1", "CustomResourceDefinition");
            List<GenericKubernetesResource> listed = crds.list().getItems();
            BlockingQueue<String> actions = new LinkedBlockingQueue<>();
            List<GenericKubernetesResource> watched = new CopyOnWriteArrayList<>();
            try (Watch ignored = crds.watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource crd) {
                    watched.add(crd);
                    actions.add(action.name());
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                for (int i = 0; i < 3; i++) {
                    assertThat(actions.poll(30, TimeUnit.SECONDS)).isEqualTo("ADDED");
                }
                assertThat(listed).hasSize(3);
                assertThat(watched).containsExactlyInAnyOrderElementsOf(listed);
            }
        }
    }

    @Test
    void theCrdsResourcesAreServedAsAPostedCrdRegistersThem() {
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            KubernetesClient client = embedded.newClient();
            GenericKubernetesResource vm = Fixtures.vm("apps", "vm-1-0", "Halted");
            vm.setAdditionalProperty("status", java.util.Map.of("printableStatus", "Running"));
            // The VM's status subresource came from its CRD: a create drops the status, as Kubernetes does.
            GenericKubernetesResource created = client.resource(vm).create();
            assertThat(created.getAdditionalProperties()).doesNotContainKey("status");
            assertThat(client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace("apps").list().getItems())
                    .extracting(r -> r.getMetadata().getName()).containsExactly("vm-1-0");
        }
    }

    // fabric8's CRUD mock with the embedded API's CRDs POSTed by a client, one by one.
    private static KubernetesMockServer postedThroughAClient() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        try (InputStream crds = EmbeddedKubernetes.class.getResourceAsStream("crds.yaml")) {
            for (HasMetadata crd : client.load(crds).items()) {
                client.resource(crd).create();
            }
        }
        return server;
    }

    private static JsonNode withoutUidAndTime(JsonNode list) {
        JsonNode copy = list.deepCopy();
        for (JsonNode item : copy.path("items")) {
            ((ObjectNode) item.path("metadata")).remove(List.of("uid", "creationTimestamp"));
        }
        return copy;
    }
}
