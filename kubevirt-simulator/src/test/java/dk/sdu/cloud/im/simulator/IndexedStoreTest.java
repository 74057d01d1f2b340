package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static dk.sdu.cloud.im.simulator.DispatchedRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRUD store with its index ({@link StoreIndex}), driven through the dispatcher: every request behaves as
 * fabric8's store answers it (found, not found, lists and label selectors, conflicts, finalizers, collection
 * deletes, watches from a version), and costs what its resource holds, not what the store holds: the store
 * counts the keys it tests against a request's query.
 */
class IndexedStoreTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int CROWD = 2000;

    private final ExecutorService senders = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "indexed-store-test-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final EmbeddedDispatcher dispatcher =
            new EmbeddedDispatcher(new ConcurrentHashMap<>(), senders, new RequestFaultInjector(),
                    new KubernetesSerialization());

    @AfterEach
    void release() {
        dispatcher.shutdown();
        senders.shutdownNow();
    }

    @Test
    void aGetByNameTestsTheKeysOfThatNameOnlyHoweverManyObjectsAreStored() {
        crowd();
        create("n", "wanted", "app", "a");

        long before = dispatcher.keysTested();
        MockResponse found = get("/api/v1/namespaces/n/configmaps/wanted");
        MockResponse missing = get("/api/v1/namespaces/n/configmaps/absent");
        long tested = dispatcher.keysTested() - before;

        assertThat(found.code()).isEqualTo(200);
        assertThat(json(found).path("metadata").path("name").asString()).isEqualTo("wanted");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(tested).isLessThanOrEqualTo(2);           // fabric8's store tested every key, twice
    }

    @Test
    void writesLookUpTheirObjectByName() {
        crowd();
        JsonNode created = json(create("n", "wanted", "app", "a"));
        String version = created.path("metadata").path("resourceVersion").asString();

        long before = dispatcher.keysTested();
        MockResponse duplicate = dispatcher.dispatch(createRequest("n", "wanted", "app", "a"));
        MockResponse updated = dispatcher.dispatch(request(HttpMethod.PUT, "/api/v1/namespaces/n/configmaps/wanted",
                configMap("n", "wanted", version, "app", "b")));
        MockResponse patched = dispatcher.dispatch(patch("/api/v1/namespaces/n/configmaps/wanted",
                "application/merge-patch+json", "{\"data\":{\"patched\":\"yes\"}}"));
        MockResponse deleted = dispatcher.dispatch(request(HttpMethod.DELETE,
                "/api/v1/namespaces/n/configmaps/wanted", null));
        long tested = dispatcher.keysTested() - before;

        assertThat(duplicate.code()).isEqualTo(409);
        assertThat(updated.code()).isEqualTo(200);
        assertThat(patched.code()).isEqualTo(202);
        assertThat(json(patched).path("data").path("patched").asString()).isEqualTo("yes");
        assertThat(json(patched).path("metadata").path("labels").path("app").asString()).isEqualTo("b");
        assertThat(deleted.code()).isEqualTo(200);
        assertThat(json(deleted).path("data").path("patched").asString()).isEqualTo("yes");   // what was stored
        assertThat(get("/api/v1/namespaces/n/configmaps/wanted").code()).isEqualTo(404);
        assertThat(tested).isLessThanOrEqualTo(8);
    }

    @Test
    void anUpdateFromAnOlderVersionIsAConflictAndChangesNothing() {
        JsonNode created = json(create("n", "cm", "app", "a"));
        String version = created.path("metadata").path("resourceVersion").asString();
        assertThat(dispatcher.dispatch(request(HttpMethod.PUT, "/api/v1/namespaces/n/configmaps/cm",
                configMap("n", "cm", version, "app", "b"))).code()).isEqualTo(200);

        MockResponse stale = dispatcher.dispatch(request(HttpMethod.PUT, "/api/v1/namespaces/n/configmaps/cm",
                configMap("n", "cm", version, "app", "c")));

        assertThat(stale.code()).isEqualTo(409);
        assertThat(json(get("/api/v1/namespaces/n/configmaps/cm")).path("metadata").path("labels").path("app")
                .asString()).isEqualTo("b");
        assertThat(dispatcher.dispatch(request(HttpMethod.PUT, "/api/v1/namespaces/n/configmaps/absent",
                configMap("n", "absent", null, "app", "b"))).code()).isEqualTo(404);
    }

    @Test
    void aListHoldsItsNamespacesObjectsInTheOrderOfTheirLastChangeAndTestsOnlyThose() {
        crowd();
        create("n", "first", "app", "a");
        JsonNode second = json(create("n", "second", "app", "b"));
        create("n", "third", "app", "a");
        dispatcher.dispatch(request(HttpMethod.PUT, "/api/v1/namespaces/n/configmaps/second",
                configMap("n", "second", second.path("metadata").path("resourceVersion").asString(), "app", "b")));

        long before = dispatcher.keysTested();
        JsonNode list = json(get("/api/v1/namespaces/n/configmaps"));
        long tested = dispatcher.keysTested() - before;

        assertThat(names(list)).containsExactly("first", "third", "second");
        assertThat(tested).isEqualTo(3);
        long newest = 0;
        for (JsonNode item : list.path("items")) {
            newest = Math.max(newest, Long.parseLong(item.path("metadata").path("resourceVersion").asString()));
        }
        assertThat(Long.parseLong(list.path("metadata").path("resourceVersion").asString()))
                .isGreaterThanOrEqualTo(newest);
    }

    @Test
    void labelAndFieldSelectorsChooseAsTheyDid() {
        create("n", "a1", "app", "a");
        create("n", "b1", "app", "b");
        create("other", "a2", "app", "a");
        create("n", "plain", null, null);

        assertThat(names(json(get("/api/v1/namespaces/n/configmaps?labelSelector=app%3Da")))).containsExactly("a1");
        assertThat(names(json(get("/api/v1/configmaps?labelSelector=app%3Da")))).containsExactly("a1", "a2");
        assertThat(names(json(get("/api/v1/namespaces/n/configmaps?labelSelector=app%21%3Da"))))
                .containsExactly("b1", "plain");
        assertThat(names(json(get("/api/v1/namespaces/n/configmaps?labelSelector=%21app")))).containsExactly("plain");
        assertThat(names(json(get("/api/v1/namespaces/n/configmaps?fieldSelector=metadata.name%3Db1"))))
                .containsExactly("b1");
        assertThat(names(json(get("/api/v1/namespaces/n/secrets")))).isEmpty();
    }

    @Test
    void aCollectionDeleteTakesWhatItsSelectorChoosesAndAFinalizerHoldsAnObject() {
        create("n", "a1", "app", "a");
        create("n", "b1", "app", "b");
        dispatcher.dispatch(request(HttpMethod.POST, "/api/v1/namespaces/n/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\",\"namespace\":\"n\","
                        + "\"labels\":{\"app\":\"a\"},\"finalizers\":[\"example.org/hold\"]}}"));

        MockResponse deleted = dispatcher.dispatch(request(HttpMethod.DELETE,
                "/api/v1/namespaces/n/configmaps?labelSelector=app%3Da", null));

        assertThat(deleted.code()).isEqualTo(200);
        assertThat(names(json(deleted))).containsExactlyInAnyOrder("a1", "held");
        assertThat(names(json(get("/api/v1/namespaces/n/configmaps")))).containsExactlyInAnyOrder("b1", "held");
        JsonNode held = json(get("/api/v1/namespaces/n/configmaps/held"));
        assertThat(held.path("metadata").path("deletionTimestamp").isMissingNode()).isFalse();

        MockResponse released = dispatcher.dispatch(patch("/api/v1/namespaces/n/configmaps/held",
                "application/json-patch+json", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]"));
        assertThat(released.code()).isEqualTo(202);
        assertThat(get("/api/v1/namespaces/n/configmaps/held").code()).isEqualTo(404);
        assertThat(dispatcher.dispatch(request(HttpMethod.DELETE, "/api/v1/namespaces/n/configmaps/held", null))
                .code()).isEqualTo(404);
    }

    @Test
    void aWatchFromAListsVersionGetsTheDeletionsSinceThenAndWhatItSeesNow() {
        create("n", "kept", "app", "a");
        create("n", "gone", "app", "a");
        create("other", "elsewhere", "app", "a");
        String version = json(get("/api/v1/namespaces/n/configmaps")).path("metadata").path("resourceVersion")
                .asString();
        dispatcher.dispatch(request(HttpMethod.DELETE, "/api/v1/namespaces/n/configmaps/gone", null));
        dispatcher.dispatch(request(HttpMethod.DELETE, "/api/v1/namespaces/other/configmaps/elsewhere", null));

        EmbeddedDispatcherTest.HeldSocket socket = new EmbeddedDispatcherTest.HeldSocket();
        socket.writes.countDown();
        MockResponse upgrade = get("/api/v1/namespaces/n/configmaps?watch=true&resourceVersion=" + version);
        WebSocketListener watch = upgrade.getWebSocketListener();
        watch.onOpen(socket, upgrade);
        create("n", "after", "app", "a");

        await().until(() -> socket.sent.size() == 3);
        assertThat(socket.sent).satisfiesExactly(
                event -> assertThat(event).startsWith("{\"type\":\"DELETED\"").contains("\"name\":\"gone\""),
                event -> assertThat(event).startsWith("{\"type\":\"ADDED\"").contains("\"name\":\"kept\""),
                event -> assertThat(event).startsWith("{\"type\":\"ADDED\"").contains("\"name\":\"after\""));
    }

    @Test
    void aClusterScopedObjectIsFoundByNameAndListed() {
        for (String name : List.of("pv-1", "pv-2")) {
            assertThat(dispatcher.dispatch(request(HttpMethod.POST, "/api/v1/persistentvolumes",
                    "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"" + name + "\"}}"))
                    .code()).isEqualTo(201);
        }

        assertThat(get("/api/v1/persistentvolumes/pv-2").code()).isEqualTo(200);
        assertThat(names(json(get("/api/v1/persistentvolumes")))).containsExactly("pv-1", "pv-2");
        assertThat(dispatcher.dispatch(request(HttpMethod.DELETE, "/api/v1/persistentvolumes/pv-1", null)).code())
                .isEqualTo(200);
        assertThat(names(json(get("/api/v1/persistentvolumes")))).containsExactly("pv-2");
    }

    // Objects of another namespace and another kind: what the requests above must not look at.
    private void crowd() {
        for (int i = 0; i < CROWD / 2; i++) {
            create("crowd", "cm-" + i, "app", "a");
            assertThat(dispatcher.dispatch(request(HttpMethod.POST, "/api/v1/namespaces/n/secrets",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s-" + i
                            + "\",\"namespace\":\"n\"}}")).code()).isEqualTo(201);
        }
    }

    private MockResponse create(String namespace, String name, String label, String value) {
        MockResponse response = dispatcher.dispatch(createRequest(namespace, name, label, value));
        assertThat(response.code()).isEqualTo(201);
        return response;
    }

    private static RecordedRequest createRequest(String namespace, String name, String label, String value) {
        return request(HttpMethod.POST, "/api/v1/namespaces/" + namespace + "/configmaps",
                configMap(namespace, name, null, label, value));
    }

    private static String configMap(String namespace, String name, String version, String label, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\"" + (version == null ? "" : ",\"resourceVersion\":\"" + version + "\"")
                + (label == null ? "" : ",\"labels\":{\"" + label + "\":\"" + value + "\"}") + "},\"data\":{\"a\":\"b\"}}";
    }

    private MockResponse get(String path) {
        return dispatcher.dispatch(request(HttpMethod.GET, path, null));
    }

    private static RecordedRequest patch(String path, String contentType, String patch) {
        Headers headers = Headers.builder().add("Content-Type", contentType).build();
        return new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path, headers,
                new Buffer(patch.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(MockResponse response) {
        return JSON.readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            names.add(item.path("metadata").path("name").asString());
        }
        return names;
    }
}
