package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.network.links.PublicLinkSettings;
import dk.sdu.cloud.im.harness.store.JobConflictException;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobRefusedException;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.JobSubmission;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.compute.DynamicParameter;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ToolDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the provider's job endpoints do, apart from HTTP: check every item of a bulk request first, and
 * act only when all pass. Acting is recording the request in the job store and handing the jobs to the
 * {@link RequestedWork}; the answer does not wait for the backends.
 */
final class ProviderJobs {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderJobs.class);
    static final String DOCKER = "DOCKER";
    static final String NATIVE = "NATIVE";

    private final JobStore store;
    private final ComputeBackends backends;
    private final MachineCatalog catalog;
    private final ProviderSettings provider;
    private final RequestBodies bodies;
    private final JsonMapper json;
    private final JobChecks checks;
    private final RequestedWork work;

    private final PublicLinkSettings web;

    ProviderJobs(JobStore store, ComputeBackends backends, MachineCatalog catalog, ProviderSettings provider,
                 JsonMapper json, JobChecks checks, RequestedWork work, PublicLinkSettings web) {
        this.web = requireNonNull(web, "web is null");
        this.store = requireNonNull(store, "store is null");
        this.work = requireNonNull(work, "work is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.provider = requireNonNull(provider, "provider is null");
        this.json = requireNonNull(json, "json is null");
        this.bodies = new RequestBodies(json);
        this.checks = requireNonNull(checks, "checks is null");
    }

    RequestBodies bodies() {
        return bodies;
    }

    /** {@code POST jobs}: verify all, then record all, then hand all to the work behind the answer. */
    Map<String, Object> create(JsonNode body) {
        List<JsonNode> items = bodies.items(body);
        Problems problems = new Problems();
        List<Accepted> accepted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Optional<ParsedJob> parsed = parseJob(items.get(i), "items[" + i + "]", i, problems);
            if (parsed.isEmpty()) {
                continue;
            }
            Job job = parsed.get().job();
            if (!checks.passesAsNew(job, "items[" + i + "]", i, problems)) {
                continue;
            }
            ComputeBackends.Selection selection = backends.select(job);
            if (!selection.found()) {
                problems.reject(i, job.id(), selection.problem());
                continue;
            }
            ComputeBackend backend = selection.backend();
            try {
                backend.verify(job);
                accepted.add(new Accepted(i, job, json.writeValueAsString(items.get(i)), backend));
            } catch (JobRejectedException e) {
                problems.reject(i, job.id(), e.getMessage());
            } catch (HostServiceUnavailableException e) {
                // Not the job's fault nor the plugin's: Core (drives) does not answer now; Core may send it again.
                LOG.warn("Job {} cannot be checked now: {}", job.id(), e.getMessage());
                throw ApiException.of(503, "job " + job.id() + " cannot be checked now: " + e.getMessage()
                        + "; nothing was created", List.of(new ApiError.ItemProblem(i, job.id(), e.getMessage())));
            } catch (RuntimeException | LinkageError e) {
                problems.failed(i, job.id(), backend, "verify job " + job.id(), e);
            }
        }
        problems.throwIfAny(400, rejectedWhy(problems.count(), items.size()) + "; nothing was created");

        try {
            store.saveAll(accepted.stream().map(a -> new JobSubmission(a.job().id(), a.json(), initialState(a.job())))
                    .toList());
        } catch (JobConflictException e) {
            List<ApiError.ItemProblem> conflicts = accepted.stream()
                    .filter(a -> e.jobIds().contains(a.job().id()))
                    .map(a -> new ApiError.ItemProblem(a.index(), a.job().id(),
                            "a different job with this id is already known"))
                    .toList();
            throw ApiException.of(409, conflicts.size() + " of " + items.size()
                    + " jobs conflict with known jobs; nothing was created", conflicts);
        } catch (JobRefusedException e) {
            throw refused(e, accepted.stream().map(a -> new Target(a.index(), a.job())).toList(), items.size(),
                    "nothing was created");
        }

        List<String> ids = accepted.stream().map(a -> a.job().id()).toList();
        work.requested(ids);
        LOG.info("Accepted {} job(s): {}", accepted.size(), ids);
        return Map.of("responses", ids.stream().map(id -> Map.of("id", id)).toList());
    }

    /** {@code POST jobs/terminate}: items are jobs. */
    Map<String, Object> terminate(JsonNode body) {
        return actOnKnownJobs(body, false, JobOperation.TERMINATE);
    }

    /** {@code POST jobs/suspend}: items are {@code {"job": Job}}. */
    Map<String, Object> suspend(JsonNode body) {
        return actOnKnownJobs(body, true, JobOperation.SUSPEND);
    }

    /** {@code POST jobs/unsuspend}: items are {@code {"job": Job}}. */
    Map<String, Object> unsuspend(JsonNode body) {
        return actOnKnownJobs(body, true, JobOperation.UNSUSPEND);
    }

    /** {@code jobs/retrieveProducts}: one entry per configured product. */
    Map<String, Object> retrieveProducts() {
        List<JobSupport> responses = new ArrayList<>();
        for (Product product : catalog.products()) {
            responses.add(new JobSupport(
                    new JobSupport.ProductRef(product.id(), product.category(), provider.providerId()),
                    JobSupport.VirtualMachineSupport.of(supports(ToolDescription.VIRTUAL_MACHINE, product),
                            web.webOffered(), web.linksEnabled()),
                    new JobSupport.Toggle(supports(DOCKER, product)),
                    new JobSupport.Toggle(supports(NATIVE, product)),
                    "AVAILABLE"));
        }
        return Map.of("responses", responses);
    }

    /**
     * {@code jobs/requestDynamicParameters}: the request names an application but not its tool backend,
     * so every backend is asked; the first backend to offer a name keeps it.
     */
    Map<String, Object> requestDynamicParameters(JsonNode body) {
        RequestBodies.Converted<DynamicParametersRequest> request =
                bodies.convert(body, DynamicParametersRequest.class, "body");
        if (!request.ok()) {
            throw ApiException.badRequest(request.problem());
        }
        NameAndVersion application = request.value().application();
        if (application == null || isBlank(application.name()) || isBlank(application.version())) {
            throw ApiException.badRequest("'application' must be {\"name\": ..., \"version\": ...} with both set");
        }
        Map<String, DynamicParameter> parameters = new LinkedHashMap<>();
        for (ComputeBackend backend : backends.all()) {
            List<DynamicParameter> offered;
            try {
                offered = backend.dynamicParameters(application);
            } catch (RuntimeException | LinkageError e) {
                throw Problems.failedRequest(backend, "offer dynamic parameters for application "
                        + application.name() + " " + application.version(), e);
            }
            for (DynamicParameter parameter : offered) {
                parameters.putIfAbsent(parameter.name(), parameter);
            }
        }
        return Map.of("parameters", List.copyOf(parameters.values()));
    }

    private Map<String, Object> actOnKnownJobs(JsonNode body, boolean wrapped, JobOperation operation) {
        List<JsonNode> items = bodies.items(body);
        Problems problems = new Problems();
        List<ParsedJob> parsed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = "items[" + i + "]";
            if (wrapped) {
                if (!item.isObject() || item.get("job") == null) {
                    problems.reject(i, null, path + ": expected {\"job\": {...}}, got "
                            + (item.isObject() ? "an object without 'job'" : RequestBodies.describe(item)));
                    continue;
                }
                item = item.get("job");
                path = path + ".job";
            }
            parseJob(item, path, i, problems).ifPresent(parsed::add);
        }
        problems.throwIfAny(400, rejectedWhy(problems.count(), items.size()) + "; nothing was done");

        Problems unknown = new Problems();
        List<Target> targets = new ArrayList<>();
        List<ParsedJob> takenOver = new ArrayList<>();
        for (ParsedJob p : parsed) {
            Optional<StoredJob> stored = store.find(p.job().id());
            if (stored.isEmpty() && !runsElsewhere(p.job())) {
                unknown.reject(p.index(), p.job().id(), "no job with this id is known to this provider (a job "
                        + "another IM started is taken over only when Core's status says RUNNING or SUSPENDED)");
                continue;
            }
            ComputeBackends.Selection selection = backends.select(p.job());
            if (stored.isEmpty()) {
                takenOver.add(p);
            } else if (!selection.found()) {
                // Core normally resends the whole job; when it did not, the job as it was created decides.
                selection = storedJob(stored.get()).map(backends::select).orElse(selection);
            }
            if (!selection.found()) {
                problems.reject(p.index(), p.job().id(), selection.problem());
                continue;
            }
            targets.add(new Target(p.index(), p.job()));
        }
        unknown.throwIfAny(404, unknown.count() + " of " + items.size()
                + " jobs are not known to this provider; nothing was done");
        problems.throwIfAny(400, rejectedWhy(problems.count(), items.size()) + "; nothing was done");

        takeOver(takenOver, problems);
        List<String> ids = targets.stream().map(t -> t.job().id()).toList();
        try {
            store.recordRequests(ids, operation);
        } catch (JobRefusedException e) {
            throw refused(e, targets, items.size(), "nothing was done");
        }
        work.requested(ids);
        LOG.info("{}: {}", operation, ids);
        return Map.of("responses", targets.stream().map(t -> Map.of()).toList());
    }

    /**
     * Whether Core says the job runs (or ran and is suspended) at this provider although this IM never received
     * it: a job that UCloud's own IM (or an IM before this one's job store) started, whose objects the backend
     * adopts.
     */
    private static boolean runsElsewhere(Job job) {
        JobState state = initialState(job);
        return state == JobState.RUNNING || state == JobState.SUSPENDED;
    }

    /**
     * Records jobs Core knows and this IM does not, as started (their backend made their objects long ago): the
     * request that follows is carried out like any other. A job recorded at the same moment by another request is
     * fine ({@link SaveOutcome#UNCHANGED}, or a conflict that the stored job then decides).
     */
    private void takeOver(List<ParsedJob> jobs, Problems problems) {
        if (jobs.isEmpty()) {
            return;
        }
        List<JobSubmission> submissions = new ArrayList<>();
        for (ParsedJob p : jobs) {
            submissions.add(new JobSubmission(p.job().id(), json.writeValueAsString(p.node()), initialState(p.job())));
        }
        try {
            store.saveAll(submissions);
        } catch (JobConflictException e) {
            LOG.info("Jobs to take over were recorded meanwhile by another request: {}", e.getMessage());
        }
        for (ParsedJob p : jobs) {
            String id = p.job().id();
            store.intent(id).ifPresent(intent -> {
                if (!intent.started()) {
                    store.markCarriedOut(id, intent.revision(), true);
                }
            });
            if (initialState(p.job()) == JobState.SUSPENDED) {
                // It was suspended by the other IM: that is the request its objects already follow.
                store.recordRequests(List.of(id), JobOperation.SUSPEND);
                store.intent(id).ifPresent(intent -> store.markCarriedOut(id, intent.revision(), true));
            }
            LOG.info("Job {} is taken over: Core says it is {}, and this IM never received it (the backend adopts "
                    + "what another IM made for it)", p.job().id(), initialState(p.job()));
        }
    }

    /** 409 listing the jobs that have ended, by their place in the request. */
    private static ApiException refused(JobRefusedException e, List<Target> targets, int total, String outcome) {
        Map<String, String> why = new LinkedHashMap<>();
        e.refusals().forEach(r -> why.putIfAbsent(r.jobId(), r.why()));
        List<ApiError.ItemProblem> items = targets.stream().filter(t -> why.containsKey(t.job().id()))
                .map(t -> new ApiError.ItemProblem(t.index(), t.job().id(), why.get(t.job().id())))
                .toList();
        return ApiException.of(409, items.size() + " of " + total + " jobs have ended; " + outcome, items);
    }

    private Optional<ParsedJob> parseJob(JsonNode node, String path, int index, Problems problems) {
        if (!node.isObject()) {
            problems.reject(index, null, path + ": expected a job object, got " + RequestBodies.describe(node));
            return Optional.empty();
        }
        RequestBodies.Converted<Job> converted = bodies.convert(node, Job.class, path);
        String rawId = node.path("id").isString() ? node.path("id").asString() : null;
        if (!converted.ok()) {
            problems.reject(index, rawId, converted.problem());
            return Optional.empty();
        }
        Job job = converted.value();
        if (isBlank(job.id())) {
            problems.reject(index, null, path + ".id: a job needs an id");
            return Optional.empty();
        }
        if (job.id().length() > JobSubmission.MAX_ID_LENGTH) {
            problems.reject(index, null, path + ".id: longer than " + JobSubmission.MAX_ID_LENGTH + " characters");
            return Optional.empty();
        }
        return checks.passes(job, path, index, problems) ? Optional.of(new ParsedJob(index, job, node)) : Optional.empty();
    }

    private Optional<Job> storedJob(StoredJob stored) {
        try {
            return Optional.of(json.readValue(stored.json(), Job.class));
        } catch (RuntimeException e) {
            LOG.warn("Stored job {} cannot be read as a job", stored.id(), e);
            return Optional.empty();
        }
    }

    private boolean supports(String toolBackend, Product product) {
        return backends.forToolBackend(toolBackend).map(b -> {
            try {
                return b.supportsProduct(product);
            } catch (RuntimeException | LinkageError e) {
                throw Problems.failedRequest(b, "say whether it supports product " + product.id(), e);
            }
        }).orElse(false);
    }

    private static JobState initialState(Job job) {
        return job.status() != null && job.status().state() != null ? job.status().state() : JobState.IN_QUEUE;
    }

    private static String rejectedWhy(int bad, int total) {
        return bad + " of " + total + (total == 1 ? " item was" : " items were") + " rejected";
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private record ParsedJob(int index, Job job, JsonNode node) {
    }

    private record Accepted(int index, Job job, String json, ComputeBackend backend) {
    }

    private record Target(int index, Job job) {
    }

    /** The body of {@code requestDynamicParameters}. */
    record DynamicParametersRequest(JobOwner owner, NameAndVersion application) {
    }
}
