package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Decides, request by request, which API requests fail under the current {@link RequestFaults} plan, and
 * makes their answers. Requests that carry {@link EmbeddedKubernetes#SIMULATION_HEADER} (the simulation's
 * own clients) never fail and draw nothing from the random sequence.
 */
final class RequestFaultInjector {

    private final Object lock = new Object();
    private RequestFaults plan = RequestFaults.none();
    private Random random = new Random(0L);
    private final long[] injected = new long[FaultKind.values().length];

    /** Puts a plan in force: its random sequence starts from its seed and the counts from zero. */
    void plan(RequestFaults newPlan) {
        requireNonNull(newPlan, "plan is null");
        synchronized (lock) {
            plan = newPlan;
            random = new Random(newPlan.seed());
            Arrays.fill(injected, 0L);
        }
    }

    RequestFaults plan() {
        synchronized (lock) {
            return plan;
        }
    }

    /** Faults injected since the plan was put in force, by kind (kinds with none are absent). */
    Map<FaultKind, Long> injected() {
        Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
        synchronized (lock) {
            for (FaultKind kind : FaultKind.values()) {
                if (injected[kind.ordinal()] > 0) {
                    counts.put(kind, injected[kind.ordinal()]);
                }
            }
        }
        return Map.copyOf(counts);
    }

    /** The fault this request gets, or null. Each client request draws once, in arrival order. */
    FaultKind draw(RecordedRequest request) {
        if (request.getHeader(EmbeddedKubernetes.SIMULATION_HEADER) != null) {
            return null;
        }
        ApiVerb verb = ApiVerb.of(request);
        synchronized (lock) {
            if (plan.rate() == 0.0) {
                return null;
            }
            if (random.nextDouble() >= plan.rate()) {
                return null;
            }
            List<FaultKind> applicable = new ArrayList<>();
            for (FaultKind kind : FaultKind.values()) {             // enum order: the same list for the same plan
                if (plan.kinds().contains(kind) && kind.appliesTo(verb)) {
                    applicable.add(kind);
                }
            }
            if (applicable.isEmpty()) {
                return null;
            }
            FaultKind kind = applicable.get(random.nextInt(applicable.size()));
            injected[kind.ordinal()]++;
            return kind;
        }
    }

    /**
     * The answer of a request that gets a fault. {@code realAnswer} is the answer the server would give;
     * it is only asked for (and so the request carried out) for {@link FaultKind#TIMEOUT}.
     */
    MockResponse answer(FaultKind kind, RecordedRequest request, Supplier<MockResponse> realAnswer) {
        ApiVerb.ResourcePath path = ApiVerb.ResourcePath.parse(ApiVerb.uriOf(request).getRawPath());
        String resource = path == null ? request.getPath() : path.resource();
        return switch (kind) {
            case INTERNAL_ERROR -> status(500, "InternalError",
                    "an error on the server (injected fault) has prevented the request from succeeding");
            case SERVICE_UNAVAILABLE -> status(503, "ServiceUnavailable",
                    "the server is currently unable to handle the request (injected fault)");
            case CONFLICT -> status(409, "Conflict", "Operation cannot be fulfilled on " + resource
                    + ": the object has been modified; please apply your changes to the latest version and try"
                    + " again (injected fault)");
            case TIMEOUT -> {
                realAnswer.get();
                RequestFaults current = plan();
                yield status(504, "Timeout", "the server was unable to return a response in the time allotted,"
                        + " but may still be processing the request (injected fault)")
                        .setBodyDelay(current.timeoutHold());             // a Vert.x timer answers: no thread waits
            }
            case WATCH_CLOSE -> new MockResponse().withWebSocketUpgrade(new ClosedAtOnce());
        };
    }

    private static MockResponse status(int code, String reason, String message) {
        String body = Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(code)
                .withReason(reason).withMessage(message).withNewMetadata().endMetadata().build());
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** A watch the server ends as soon as it is open, as an API server ends a watch at its timeout. */
    private static final class ClosedAtOnce extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            webSocket.close(1000, "watch closed (injected fault)");
        }
    }
}
