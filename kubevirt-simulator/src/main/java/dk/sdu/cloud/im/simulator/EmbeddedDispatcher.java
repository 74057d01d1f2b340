package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
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

    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final Store crud;
    private final RequestFaultInjector faults;
    private final Map<String, KubeVirtSimulator> consoles = new ConcurrentHashMap<>();
    private final ServiceAddresses serviceAddresses = new ServiceAddresses();

    /**
     * @param watchSenders the pool whose threads write watch events to websockets (they may wait for a
     *                     write; nothing else waits for them)
     * @param faults       which requests fail, and how
     */
    EmbeddedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations, Executor watchSenders,
            RequestFaultInjector faults) {
        this.expectations = requireNonNull(expectations, "expectations is null");
        this.expected = new MockDispatcher(expectations);
        this.crud = new Store(requireNonNull(watchSenders, "watchSenders is null"));
        this.faults = requireNonNull(faults, "faults is null");
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        FaultKind fault = faults.draw(request);
        if (fault != null) {
            return faults.answer(fault, request, () -> answer(request));
        }
        return answer(request);
    }

    private MockResponse answer(RecordedRequest request) {
        Queue<ServerResponse> queue = expectations.get(
                new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (queue != null && !queue.isEmpty()) {
            return expected.dispatch(request);
        }
        if ("GET".equals(request.getMethod())) {
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

    /** fabric8's CRUD store, its changes announced to {@link StoreWatches} instead of the mock's listeners. */
    private static final class Store extends KubernetesCrudDispatcher {
        private static final Pattern WATCH_VERSION = Pattern.compile("[?&]resourceVersion=(\\d{1,18})(?:&|$)");

        private final StoreWatches watches;

        Store(Executor watchSenders) {
            super(List.of());
            this.watches = new StoreWatches(watchSenders, this::entries, this::requestResourceVersion);
        }

        private List<Map.Entry<AttributeSet, String>> entries() {
            synchronized (map) {        // a synchronized map: iterating it needs its monitor
                return map.entrySet().stream().map(entry -> Map.entry(entry.getKey(), entry.getValue())).toList();
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
                return new StoreWatches.Change(oldAttributes, oldState, newKey, newState);
            });
        }

        // The key the store files the new state under (as the mock computes it).
        private AttributeSet keyOf(AttributeSet pathAttributes, GenericKubernetesResource resource, String state) {
            KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
            AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(state);
            return key.containsKey(KubernetesAttributesExtractor.PLURAL) ? key : AttributeSet.merge(pathAttributes, key);
        }
    }
}
