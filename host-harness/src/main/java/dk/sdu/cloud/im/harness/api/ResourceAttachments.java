package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.JobSummary;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Resources attached to and detached from existing jobs: Core's {@code jobs.provider.<id>.attachResource} and
 * {@code detachResource} ({@code POST /ucloud/<id>/jobs/attachResource} {@code {"job": Job, "resource":
 * AppParameterValue}} -> {@code {}}), and a resource that changed while jobs have it (a public IP's firewall).
 *
 * <p>The job's backend applies the change first ({@link ComputeBackend#attachResource}); when it refuses (400
 * with its reason) nothing changes. Then the job's document in the store gets the resource in (or out of) its
 * {@code specification.resources}, so that the job carried on after a restart has it too. The job is the one the
 * store holds: Core's copy in the request only names it.
 */
public final class ResourceAttachments {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceAttachments.class);
    /** The job resource type of a public IP. */
    public static final String PUBLIC_IP = "network";
    /** The job resource type of a public link. */
    public static final String PUBLIC_LINK = "ingress";
    /** The job resource type of a private network. */
    public static final String PRIVATE_NETWORK = "private_network";
    /** The resource types that can be attached to a running job. */
    static final Set<String> ATTACHABLE = Set.of(PUBLIC_IP, PUBLIC_LINK, PRIVATE_NETWORK);

    private final JobStore store;
    private final ComputeBackends backends;
    private final JsonMapper json;
    private final Clock clock;

    public ResourceAttachments(JobStore store, ComputeBackends backends, JsonMapper json, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The calls, to serve on the provider API. */
    public List<ProviderCall> calls() {
        return List.of(new ProviderCall("POST", "jobs/attachResource", body -> change(body, true)),
                new ProviderCall("POST", "jobs/detachResource", body -> change(body, false)));
    }

    Map<String, Object> change(JsonNode body, boolean attach) {
        if (!body.isObject() || !body.path("job").isObject() || !body.path("resource").isObject()) {
            throw ApiException.badRequest("expected {\"job\": {...}, \"resource\": {...}}");
        }
        String jobId = body.path("job").path("id").asString(null);
        if (jobId == null || jobId.isBlank()) {
            throw ApiException.badRequest("job.id: missing");
        }
        JsonNode resourceNode = body.get("resource");
        AppParameterValue resource;
        try {
            resource = json.treeToValue(resourceNode, AppParameterValue.class);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("resource: not a resource of Core's (" + e.getMessage() + ")");
        }
        if (resource.type() == null || !ATTACHABLE.contains(resource.type())) {
            throw ApiException.badRequest("resource.type: only " + ATTACHABLE.stream().sorted().toList()
                    + " can be attached to or detached from a job, got " + resource.type());
        }
        if (resource.id() == null || resource.id().isBlank()) {
            throw ApiException.badRequest("resource.id: missing");
        }
        StoredJob stored = store.find(jobId).orElseThrow(() -> new ApiException(404,
                ApiError.of("no job with id " + jobId + " is known to this provider")));
        if (stored.state().isFinal()) {
            throw new ApiException(409, ApiError.of("job " + jobId + " has ended (" + stored.state()
                    + "); nothing was changed"));
        }
        ObjectNode document = (ObjectNode) json.readTree(stored.json());
        ArrayNode resources = resourcesOf(document);
        for (int i = resources.size() - 1; i >= 0; i--) {
            if (sameResource(resources.get(i), resource)) {
                resources.remove(i);
            }
        }
        if (attach) {
            resources.add(resourceNode.deepCopy());
        }
        Job changed = json.treeToValue(document, Job.class);
        ComputeBackends.Selection selection = backends.select(changed);
        if (!selection.found()) {
            throw ApiException.badRequest(selection.problem());
        }
        ComputeBackend backend = selection.backend();
        String action = (attach ? "attach " : "detach ") + resource.type() + " " + resource.id()
                + (attach ? " to" : " from") + " job " + jobId;
        try {
            if (attach) {
                backend.attachResource(changed, resource);
            } else {
                backend.detachResource(changed, resource);
            }
        } catch (JobRejectedException e) {
            throw ApiException.badRequest("cannot " + action + ": " + e.getMessage() + "; nothing was changed");
        } catch (HostServiceUnavailableException e) {
            throw new ApiException(503, ApiError.of("cannot " + action + " now: " + e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            throw Problems.failedRequest(backend, action, e);
        }
        store.replaceJob(jobId, json.writeValueAsString(document));
        LOG.info("Done: {}", action);
        return Map.of();
    }

    /**
     * A resource changed (e.g. a public IP's firewall): each job that has it and has not ended applies it again.
     * A job whose backend fails is told so in a job message; the others carry on.
     *
     * @param type the resource type, e.g. {@code network}
     * @param id   the resource's id
     */
    public void resourceChanged(String type, String id) {
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        for (JobSummary summary : store.list()) {
            if (summary.state().isFinal()) {
                continue;
            }
            Optional<StoredJob> stored = store.find(summary.id());
            if (stored.isEmpty()) {
                continue;
            }
            Job job;
            try {
                job = json.readValue(stored.get().json(), Job.class);
            } catch (RuntimeException e) {
                continue;
            }
            Optional<AppParameterValue> resource = job.specification() == null ? Optional.empty()
                    : job.specification().resources().stream()
                    .filter(r -> type.equals(r.type()) && id.equals(r.id())).findFirst();
            ComputeBackends.Selection selection = backends.select(job);
            if (resource.isEmpty() || !selection.found()) {
                continue;
            }
            try {
                selection.backend().attachResource(job, resource.get());
                LOG.info("Job {} applied the change of {} {}", job.id(), type, id);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Job {} could not apply the change of {} {}: {}", job.id(), type, id, e.getMessage(), e);
                store.send(job.id(), JobUpdate.message("The change of " + describe(type) + " " + id
                        + " could not be applied to this job: " + e.getMessage(), clock.millis()));
            }
        }
    }

    private static String describe(String type) {
        return switch (type) {
            case PUBLIC_IP -> "public IP";
            case PUBLIC_LINK -> "public link";
            case PRIVATE_NETWORK -> "private network";
            default -> type;
        };
    }

    private static ArrayNode resourcesOf(ObjectNode document) {
        JsonNode specification = document.get("specification");
        if (specification == null || !specification.isObject()) {
            throw ApiException.badRequest("the stored job has no specification");
        }
        JsonNode resources = specification.get("resources");
        if (resources == null || !resources.isArray()) {
            return ((ObjectNode) specification).putArray("resources");
        }
        return (ArrayNode) resources;
    }

    private static boolean sameResource(JsonNode node, AppParameterValue resource) {
        return Objects.equals(node.path("type").asString(null), resource.type())
                && Objects.equals(node.path("id").asString(null), resource.id());
    }
}
