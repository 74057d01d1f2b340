package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * fabric8's mixed dispatcher (an expectation that matches method and path wins, the CRUD store answers the
 * rest), with watches of our own ({@link StoreWatches}) instead of the mock's, and injected request failures
 * ({@link RequestFaultInjector}) in front of both. A Service is created with its cluster address
 * ({@link ServiceAddresses}), as the API server creates it.
 *
 * <p>Why: the mock's watch listener gives each watch a sender thread whose writes wait for the event loop.
 * Ended on the event loop, it waited (up to a minute) for that thread, which waited (up to 30 s) for a write
 * only the loop could finish: the loop stalled. Ended on another thread, it shut its sender down but stayed
 * registered with the store until the sender finished; a write to the store in that window threw
 * {@code RejectedExecutionException} out of the store's event loop callback, after the object was stored,
 * and the request was never answered (the client timed out). Our watches never wait on the event loop, are
 * unregistered before anything else when they end, and the store never throws for a watch.
 */
final class EmbeddedDispatcher extends Dispatcher implements Resetable, CustomResourceAware {

    /** KubeVirt's serial console subresource (virt-api): namespace, VMI name, optional query. */
    private static final Pattern CONSOLE = Pattern.compile(
            "/apis/subresources\\.kubevirt\\.io/v1/namespaces/([^/?]+)/virtualmachineinstances/([^/?]+)/console(?:\\?.*)?");

    /** KubeVirt's VNC subresource (virt-api): namespace, VMI name, optional query. */
    private static final Pattern VNC = Pattern.compile(
            "/apis/subresources\\.kubevirt\\.io/v1/namespaces/([^/?]+)/virtualmachineinstances/([^/?]+)/vnc(?:\\?(.*))?");

    /** The paths discovery may answer: {@code /version}, {@code /api[/v]}, {@code /apis[/group[/version]]}. */
    private static final Pattern DISCOVERY = Pattern.compile("/version/?|/api(?:/[^/]+)?/?|/apis(?:/[^/]+){0,2}/?");

    private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final ObjectMapper PATCH_JSON = JsonMapper.builder().build();
    private static final Pattern VERSION = Pattern.compile("/version/?(?:\\?.*)?");

    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final Store crud;
    private final RequestFaultInjector faults;
    private final Map<String, KubeVirtSimulator> consoles = new ConcurrentHashMap<>();
    private final KubernetesSerialization serialization;
    private final ApiDiscovery discovery;
    private final OpenApiDocuments openApi = new OpenApiDocuments();
    private final ServiceAddresses serviceAddresses = new ServiceAddresses();
    private volatile Duration latency = Duration.ZERO;

    /**
     * @param watchSenders the pool whose threads write watch events to websockets (they may wait for a
     *                     write; nothing else waits for them)
     * @param faults       which requests fail, and how
     * @param serialization reads and writes the objects (shared with the API's clients: each mapper builds its
     *                      own readers and writers for every type it meets, which a start pays for once per mapper)
     */
    EmbeddedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations, Executor watchSenders,
            RequestFaultInjector faults, KubernetesSerialization serialization) {
        this.expectations = requireNonNull(expectations, "expectations is null");
        this.expected = new MockDispatcher(expectations);
        this.serialization = requireNonNull(serialization, "serialization is null");
        this.crud = new Store(requireNonNull(watchSenders, "watchSenders is null"), serialization);
        this.faults = requireNonNull(faults, "faults is null");
        this.discovery = new ApiDiscovery(serialization);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        FaultKind fault = faults.draw(request);
        MockResponse response = fault != null ? faults.answer(fault, request, () -> answer(request)) : answer(request);
        return delayed(request, response);
    }

    /**
     * From the next request on, every answer but a watch's and a websocket's is sent this long after the request
     * was handled ({@link Duration#ZERO}: at once).
     */
    void latency(Duration latency) {
        requireNonNull(latency, "latency is null");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        this.latency = latency;
    }

    Duration latency() {
        return latency;
    }

    // The mock server sends a delayed body from a timer of its event loop: the wait holds no thread, so answers
    // to requests made at the same time wait at the same time, as they do on a real API server.
    private MockResponse delayed(RecordedRequest request, MockResponse response) {
        Duration wait = latency;
        if (wait.isZero() || response == null || response.getWebSocketListener() != null
                || ApiVerb.of(request) == ApiVerb.WATCH) {
            return response;
        }
        return response.setBodyDelay(wait);
    }

    private MockResponse answer(RecordedRequest request) {
        // The mock server registers an expectation of its own for /version (version 0.0): ours comes first.
        if ("GET".equals(request.getMethod()) && VERSION.matcher(request.getPath()).matches()) {
            return discover(request);
        }
        Queue<ServerResponse> queue = expectations.get(
                new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (queue != null && !queue.isEmpty()) {
            return expected.dispatch(request);
        }
        if ("PATCH".equals(request.getMethod()) && isStrategicMergePatch(request)) {
            return crud.dispatch(asMergePatch(request));
        }
        if ("GET".equals(request.getMethod())) {
            MockResponse discovered = discover(request);
            if (discovered != null) {
                return discovered;
            }
            Matcher console = CONSOLE.matcher(request.getPath());
            if (console.matches()) {
                KubeVirtSimulator simulator = consoles.get(decode(console.group(1)));
                if (simulator != null) {
                    return simulator.console(decode(console.group(2)));
                }
            }
            Matcher vnc = VNC.matcher(request.getPath());
            KubeVirtSimulator simulator = vnc.matches() ? consoles.get(decode(vnc.group(1))) : null;
            if (simulator != null) {
                boolean preserveSession = vnc.group(3) != null
                        && List.of(vnc.group(3).split("&")).contains("preserveSession=true");
                return simulator.vnc(decode(vnc.group(2)), preserveSession);
            }
        }
        if (ServiceAddresses.isCreate(request.getMethod(), request.getPath())) {
            // As the API server does: the Service is stored, and answered, with its cluster address.
            return crud.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
                    request.getHeaders(), new Buffer(serviceAddresses.withAddress(request.getBody().getBytes()))));
        }
        return crud.dispatch(request);
    }

    // Discovery documents, and a 404 for the OpenAPI documents (which kubectl then does without): the CRUD
    // store would answer these paths with a list of everything it holds.
    private MockResponse discover(RecordedRequest request) {
        String path = URI.create(request.getPath()).getPath();
        if (path.startsWith("/openapi/v3")) {
            return openApi.document(path, discovery.resources(crud.customResourceDefinitions()))
                    .map(json -> new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                            .setBody(json))
                    .orElseGet(() -> notFound("no OpenAPI document " + path));
        }
        if (path.startsWith("/openapi/")) {
            return notFound("the embedded API serves OpenAPI v3 documents only (" + path + ")");
        }
        if (!DISCOVERY.matcher(path).matches()) {
            return null;
        }
        String host = request.getHeader("Host");
        return discovery.document(path, crud.customResourceDefinitions(), host == null ? "127.0.0.1" : host)
                .map(json -> new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                        .setBody(json))
                .orElseGet(() -> notFound("the server could not find the requested resource (" + path + ")"));
    }

    // A strategic merge patch of a built-in kind; one of a custom resource stays 415, as Kubernetes answers it.
    private static boolean isStrategicMergePatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        if (type == null || !type.startsWith(STRATEGIC_MERGE_PATCH)) {
            return false;
        }
        String path = URI.create(request.getPath()).getPath();
        if (path.startsWith("/api/")) {
            return true;
        }
        String[] segments = path.split("/");
        return segments.length > 2 && segments[1].equals("apis") && ApiDiscovery.isBuiltInGroup(segments[2]);
    }

    /**
     * A strategic merge patch of a built-in kind (what {@code kubectl apply} sends to change one, which the
     * mock answers with 415) as the mock's merge patch: the patch's directives ({@code $setElementOrder/...},
     * {@code $retainKeys}, {@code $patch}) are dropped, and lists are appended to as the mock merges them, not
     * merged by key.
     */
    private static RecordedRequest asMergePatch(RecordedRequest request) {
        JsonNode patch = PATCH_JSON.readTree(request.getUtf8Body());
        withoutDirectives(patch);
        Headers headers = request.getHeaders().newBuilder().set("Content-Type", MERGE_PATCH).build();
        return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), headers,
                new Buffer(PATCH_JSON.writeValueAsBytes(patch)));
    }

    private static void withoutDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> directives = new ArrayList<>();
            object.propertyNames().forEach(name -> {
                if (name.startsWith("$")) {
                    directives.add(name);
                }
            });
            directives.forEach(object::remove);
            object.values().forEach(EmbeddedDispatcher::withoutDirectives);
        } else if (node != null && node.isArray()) {
            node.values().forEach(EmbeddedDispatcher::withoutDirectives);
        }
    }

    private MockResponse notFound(String message) {
        return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                .setBody(serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(404)
                        .withReason("NotFound").withMessage(message).build()));
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    /** Serves the serial consoles and VNC screens of a simulator's namespace (replacing another simulator's there). */
    void serveConsoles(KubeVirtSimulator simulator) {
        consoles.put(simulator.namespace(), simulator);
    }

    /** Stops serving a simulator's consoles (if it still serves its namespace). */
    void stopServingConsoles(KubeVirtSimulator simulator) {
        consoles.remove(simulator.namespace(), simulator);
    }

    /**
     * Creates an object as a POST of {@code json} to {@code path} creates it, without HTTP: the request goes
     * straight to the store, which answers it as it answers a client's (uid, creationTimestamp,
     * resourceVersion, generation, watches, a CRD's resource registered). For the simulation's own objects
     * before the server takes requests: a client would cost the start a JSON round trip through fabric8's
     * typed model and the server's event loop.
     *
     * @throws IllegalStateException when the store refuses it (the answer's code and body in the message)
     */
    void create(String path, String json) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        MockResponse response = crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.POST, path, headers,
                new Buffer(json.getBytes(StandardCharsets.UTF_8))));
        if (response.code() != 201) {
            String body = response.getBody() == null ? "" : response.getBody().readUtf8();
            throw new IllegalStateException("creating " + path + " answered " + response.code() + ": " + body);
        }
    }

    /** Objects stored before (a restart): see {@link Store#load}. Call before the server takes requests. */
    void load(List<ClusterStateFile.StoredObject> objects) {
        crud.load(objects);
    }

    /** Every stored object but the CustomResourceDefinitions. */
    List<ClusterStateFile.StoredObject> snapshot() {
        return crud.snapshot();
    }

    /** Runs after every change of the store, with its lock held: must be quick and do no I/O. */
    void onChange(Runnable action) {
        crud.onChange(action);
    }

    /** How many stored keys requests have tested against their query so far: what the store's requests cost. */
    long keysTested() {
        return crud.keysTested();
    }

    /** Watches whose websocket is open. */
    int openWatches() {
        return crud.watches.openWatches();
    }

    @Override
    public void shutdown() {
        expected.shutdown();
        crud.shutdown();
    }

    @Override
    public void releaseResources() {
        expected.releaseResources();
        crud.releaseResources();
    }

    @Override
    public void reset() {
        crud.reset();
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext context) {
        crud.expectCustomResource(context);
    }

    /**
     * fabric8's CRUD store, its changes announced to {@link StoreWatches} instead of the mock's listeners, and
     * its lookups narrowed by a {@link StoreIndex}: fabric8 tests every stored key against each request (a GET
     * by name, each write's look-up of the current object, a list, a delete), so that each request cost as much
     * as the whole cluster (18,000 objects at 1,000 jobs). Here a single-object request tests the few keys of
     * its name, and a list the keys of its resource (and namespace).
     *
     * <p>fabric8's lock is private, so the store has one of its own around every request (reads shared, writes
     * alone); fabric8's is taken inside it, uncontended. The index changes only with both this write lock and
     * the map's monitor held, and is read with either held: a watch's start reads it under the map's monitor,
     * as it read the map before (lock order: this lock, then the watches' monitor, then the map's monitor).
     */
    private static final class Store extends KubernetesCrudDispatcher {
        private static final String CRDS = "customresourcedefinitions";
        private static final Pattern WATCH_VERSION = Pattern.compile("[?&]resourceVersion=(\\d{1,18})(?:&|$)");
        /** A group version's resource list, which fabric8 answers from its CRDs when nothing is stored there. */
        private static final Pattern API_RESOURCES = Pattern.compile("/apis(?:/[a-zA-Z0-9-_.]+)?/[a-zA-Z0-9-_]+");
        private static final AttributeSet ALL_CRDS = new AttributeSet(
                new Attribute(KubernetesAttributesExtractor.PLURAL, CRDS));

        private final StoreWatches watches;
        private final KubernetesSerialization serialization;
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final StoreIndex index = new StoreIndex();
        private final AtomicLong lastVersion = new AtomicLong();
        private volatile Runnable onChange = () -> { };

        Store(Executor watchSenders, KubernetesSerialization serialization) {
            super(List.of());
            this.serialization = serialization;
            this.watches = new StoreWatches(watchSenders, this::matchingEntries, this::requestResourceVersion);
        }

        // The stored entries that match a query, copied: for a watch's start, which holds no lock of ours.
        private List<Map.Entry<AttributeSet, String>> matchingEntries(AttributeSet query) {
            synchronized (map) {        // a synchronized map: iterating it needs its monitor
                return entriesOf(index.matching(query, this::allKeys));
            }
        }

        // Called with the map's monitor or one of our locks held.
        private List<Map.Entry<AttributeSet, String>> entriesOf(List<AttributeSet> keys) {
            List<Map.Entry<AttributeSet, String>> entries = new ArrayList<>(keys.size());
            for (AttributeSet key : keys) {
                String value = map.get(key);
                if (value != null) {
                    entries.add(Map.entry(key, value));
                }
            }
            return entries;
        }

        private List<Map.Entry<AttributeSet, String>> entries() {
            synchronized (map) {
                return map.entrySet().stream().map(entry -> Map.entry(entry.getKey(), entry.getValue())).toList();
            }
        }

        private List<AttributeSet> allKeys() {
            synchronized (map) {
                return List.copyOf(map.keySet());
            }
        }

        /** How many stored keys requests have tested so far (what requests cost; for tests). */
        long keysTested() {
            return index.keysTested();
        }

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            return writing(() -> super.handleCreate(request));
        }

        @Override
        public MockResponse handleUpdate(RecordedRequest request) {
            return writing(() -> super.handleUpdate(request));
        }

        @Override
        public MockResponse handlePatch(RecordedRequest request) {
            return writing(() -> super.handlePatch(request));
        }

        /** A GET of one object or a list, answered from the index; a watch is ours. */
        @Override
        public MockResponse handleGet(String path) {
            if (isWatch(path)) {
                return handleWatch(path);
            }
            AttributeSet query = attributeExtractor.fromPath(path);
            lock.readLock().lock();
            try {
                if (!index.narrows(query) || API_RESOURCES.matcher(path).matches()) {
                    return super.handleGet(path);
                }
                List<String> items = entriesOf(index.matching(query, this::allKeys)).stream()
                        .map(Map.Entry::getValue).toList();
                return answer(query, items);
            } finally {
                lock.readLock().unlock();
            }
        }

        /**
         * Deletes what a path names (one object, or a collection), as fabric8 does: an object with finalizers is
         * marked for deletion (once) instead, and the answer carries what was stored before.
         */
        @Override
        public MockResponse handleDelete(String path) {
            return writing(() -> {
                AttributeSet query = attributeExtractor.fromPath(path);
                if (!index.narrows(query)) {
                    return super.handleDelete(path);
                }
                List<Map.Entry<AttributeSet, String>> found = entriesOf(index.matching(query, this::allKeys));
                for (Map.Entry<AttributeSet, String> entry : found) {
                    delete(path, query, entry);
                }
                return answer(query, found.stream().map(Map.Entry::getValue).toList());
            });
        }

        private void delete(String path, AttributeSet query, Map.Entry<AttributeSet, String> entry) {
            GenericKubernetesResource resource = serialization.unmarshal(entry.getValue(),
                    GenericKubernetesResource.class);
            if (resource.getFinalizers().isEmpty()) {
                processEvent(path, query, entry.getKey(), null, null);
            } else if (!resource.isMarkedForDeletion()) {
                // Finalizers hold it: it stays, marked, until the last one is removed (an update then deletes it).
                resource.getMetadata().setDeletionTimestamp(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)));
                resource.getMetadata().setResourceVersion(Long.toString(requestResourceVersion()));
                processEvent(path, query, entry.getKey(), resource, serialization.asJson(resource));
            }
        }

        // One object (200, or 404 when there is none) when the path names one, else a list at the store's version.
        private MockResponse answer(AttributeSet query, List<String> items) {
            if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
                return items.isEmpty() ? new MockResponse().setResponseCode(404)
                        : new MockResponse().setResponseCode(200).setBody(items.get(0));
            }
            return new MockResponse().setResponseCode(200).setBody(((KubernetesResponseComposer) responseComposer)
                    .compose(items, Long.toString(lastVersion.get())));
        }

        private static boolean isWatch(String path) {
            int query = path.indexOf('?');
            return query >= 0 && path.indexOf("watch=true", query) >= 0;
        }

        /** The current object of a write (its look-up by name), from the index. Called with our write lock held. */
        @Override
        public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
            List<Map.Entry<AttributeSet, String>> found = entriesOf(index.matching(attributes, this::allKeys));
            return found.isEmpty() ? null : found.get(0);
        }

        @Override
        public long requestResourceVersion() {
            long version = super.requestResourceVersion();
            lastVersion.accumulateAndGet(version, Math::max);
            return version;
        }

        @Override
        public void reset() {
            writing(() -> {
                super.reset();
                synchronized (map) {
                    index.clear();
                }
                return null;
            });
        }

        private <T> T writing(Supplier<T> request) {
            lock.writeLock().lock();
            try {
                return request.get();
            } finally {
                lock.writeLock().unlock();
            }
        }

        /** A watch of ours; the mock's own listener (and its thread) is never made. */
        @Override
        public MockResponse handleWatch(String path) {
            // fromPath reads the label and field selectors (metadata.name included, URL-decoded).
            return new MockResponse().withWebSocketUpgrade(watches.newWatch(attributeExtractor.fromPath(path),
                    sinceVersion(path)));
        }

        // The resourceVersion a watch starts from (an informer's list's), or -1 when it names none or "0" (any).
        private static long sinceVersion(String path) {
            Matcher matcher = WATCH_VERSION.matcher(path);
            if (!matcher.find()) {
                return -1;
            }
            try {
                long version = Long.parseLong(matcher.group(1));
                return version > 0 ? version : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /**
         * Every change of the store comes here (create, update, patch, delete), with the store's write lock
         * held. No mock listener is registered, so the mock's own announcement is empty.
         */
        @Override
        public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                GenericKubernetesResource resource, String newState) {
            watches.change(() -> {
                String oldState = oldAttributes == null ? null : map.get(oldAttributes);
                super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
                AttributeSet newKey = newState == null ? null : keyOf(pathAttributes, resource, newState);
                synchronized (map) {
                    if (oldAttributes != null) {
                        index.remove(oldAttributes);
                    }
                    if (newKey != null) {
                        index.add(newKey);
                    }
                }
                return new StoreWatches.Change(oldAttributes, oldState, newKey, newState);
            });
            onChange.run();
        }

        /** The CustomResourceDefinitions stored now. */
        List<CustomResourceDefinition> customResourceDefinitions() {
            return matchingEntries(ALL_CRDS).stream()
                    .map(entry -> serialization.unmarshal(entry.getValue(), CustomResourceDefinition.class)).toList();
        }

        /** Every stored object but the CustomResourceDefinitions (which come from the simulator's jar). */
        List<ClusterStateFile.StoredObject> snapshot() {
            List<ClusterStateFile.StoredObject> objects = new ArrayList<>();
            for (Map.Entry<AttributeSet, String> entry : entries()) {
                String plural = pluralOf(entry.getKey());
                if (plural != null && !CRDS.equals(plural)) {
                    objects.add(new ClusterStateFile.StoredObject(plural, entry.getValue()));
                }
            }
            return objects;
        }

        /**
         * Puts stored objects back as they were (uid, resourceVersion, creationTimestamp and all), before any
         * client is served, and moves the store's resource version counter and fabric8's uid counter past
         * theirs, so that what is created next is newer and never takes a loaded object's uid.
         */
        void load(List<ClusterStateFile.StoredObject> objects) {
            lock.writeLock().lock();
            try {
                loadLocked(objects);
            } finally {
                lock.writeLock().unlock();
            }
        }

        private void loadLocked(List<ClusterStateFile.StoredObject> objects) {
            KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
            long highestVersion = 0;
            long highestUid = 0;
            synchronized (map) {
                for (ClusterStateFile.StoredObject object : objects) {
                    GenericKubernetesResource resource = serialization.unmarshal(object.json(),
                            GenericKubernetesResource.class);
                    AttributeSet key = AttributeSet.merge(extractor.fromPath(pathOf(resource, object.plural())),
                            extractor.fromResource(object.json()));
                    map.put(key, object.json());
                    index.add(key);
                    highestVersion = Math.max(highestVersion, number(resource.getMetadata().getResourceVersion()));
                    highestUid = Math.max(highestUid, counterOf(resource.getMetadata().getUid()));
                }
            }
            while (requestResourceVersion() <= highestVersion) {
                // the counter only counts up: take versions until past the highest loaded
            }
            while (Utils.generateId().getLeastSignificantBits() < highestUid) {
                // fabric8 numbers uids from one process-wide counter; skip the loaded ones
            }
        }

        void onChange(Runnable action) {
            this.onChange = requireNonNull(action, "action is null");
        }

        private static String pathOf(GenericKubernetesResource resource, String plural) {
            String apiVersion = resource.getApiVersion();
            String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
            String namespace = resource.getMetadata().getNamespace();
            return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural + "/"
                    + resource.getMetadata().getName();
        }

        private static String pluralOf(AttributeSet key) {
            Attribute plural = key.getAttribute(KubernetesAttributesExtractor.PLURAL);
            return plural == null || plural.getValues().isEmpty() ? null : plural.getValues().get(0).toString();
        }

        private static long number(String text) {
            try {
                return text == null ? 0 : Long.parseLong(text);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        // The counter in a uid fabric8 made (00000000-0000-0000-<counter>), else 0.
        private static long counterOf(String uid) {
            try {
                UUID parsed = UUID.fromString(uid);
                return parsed.getMostSignificantBits() == 0 ? parsed.getLeastSignificantBits() : 0;
            } catch (RuntimeException e) {
                return 0;
            }
        }

        // The key the store files the new state under (as the mock computes it).
        private AttributeSet keyOf(AttributeSet pathAttributes, GenericKubernetesResource resource, String state) {
            KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
            AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(state);
            return key.containsKey(KubernetesAttributesExtractor.PLURAL) ? key : AttributeSet.merge(pathAttributes, key);
        }
    }
}
