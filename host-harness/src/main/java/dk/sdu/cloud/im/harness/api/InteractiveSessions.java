package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.shell.ShellSessions;
import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.spi.job.Job;
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
 * {@code POST /ucloud/<provider>/jobs/interactiveSession}: Core's {@code jobs.provider.<id>.openInteractiveSession},
 * a bulk request of {@code {"job": Job, "rank": 0, "sessionType": "SHELL", "target": null}} items (an item may
 * name the job by {@code "id"} instead of {@code "job"}). Answers {@code {"responses": [{"type": "shell", "jobId",
 * "rank", "sessionIdentifier", "domainOverride": null}]}}, one per item; the identifier opens the shell websocket
 * ({@link dk.sdu.cloud.im.harness.shell.ShellSocket}). Only {@code SHELL} sessions are offered so far.
 *
 * <p>The request is checked whole first: a malformed item, a session type other than SHELL, a rank that is not
 * a machine of the job, or a job without a backend refuses it (400); a job not known here 404; a job that has
 * ended or was terminated 409. Nothing is handed out then.
 */
final class InteractiveSessions {
    private static final Logger LOG = LoggerFactory.getLogger(InteractiveSessions.class);
    static final String SHELL = "SHELL";
    private static final List<String> NOT_YET = List.of("WEB", "VNC");

    private final JobStore store;
    private final ComputeBackends backends;
    private final ShellSessions shells;
    private final RequestBodies bodies;
    private final JsonMapper json;

    InteractiveSessions(JobStore store, ComputeBackends backends, ShellSessions shells, JsonMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.shells = requireNonNull(shells, "shells is null");
        this.json = requireNonNull(json, "json is null");
        this.bodies = new RequestBodies(json);
    }

    Map<String, Object> open(JsonNode body) {
        List<JsonNode> items = bodies.items(body);
        Problems malformed = new Problems();
        List<Requested> requested = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parse(items.get(i), i, malformed).ifPresent(requested::add);
        }
        malformed.throwIfAny(400, rejectedWhy(malformed.count(), items.size()));

        Problems unknown = new Problems();
        Problems ended = new Problems();
        Problems bad = new Problems();
        List<Granted> granted = new ArrayList<>();
        for (Requested r : requested) {
            Optional<StoredJob> stored = store.find(r.jobId());
            Optional<Job> job = stored.flatMap(this::jobOf);
            if (job.isEmpty()) {
                unknown.reject(r.index(), r.jobId(), "no job with this id is known to this provider");
                continue;
            }
            Optional<JobIntent> intent = store.intent(r.jobId());
            if (intent.isPresent() && intent.get().operation() == JobOperation.TERMINATE) {
                ended.reject(r.index(), r.jobId(), "job " + r.jobId() + " was terminated");
                continue;
            }
            if (stored.get().state().isFinal()) {
                ended.reject(r.index(), r.jobId(), "job " + r.jobId() + " has ended (" + stored.get().state() + ")");
                continue;
            }
            int replicas = job.get().specification() == null ? 1 : Math.max(1, job.get().specification().replicas());
            if (r.rank() >= replicas) {
                bad.reject(r.index(), r.jobId(), "items[" + r.index() + "].rank: job " + r.jobId() + " has "
                        + replicas + (replicas == 1 ? " machine (rank 0)" : " machines (ranks 0-" + (replicas - 1) + ")")
                        + ", not rank " + r.rank());
                continue;
            }
            ComputeBackends.Selection selection = backends.select(job.get());
            if (!selection.found()) {
                bad.reject(r.index(), r.jobId(), selection.problem());
                continue;
            }
            granted.add(new Granted(r, job.get(), selection));
        }
        unknown.throwIfAny(404, unknown.count() + " of " + items.size()
                + " jobs are not known to this provider; no session was opened");
        ended.throwIfAny(409, ended.count() + " of " + items.size() + " jobs have ended; no session was opened");
        bad.throwIfAny(400, rejectedWhy(bad.count(), items.size()));

        List<Map<String, Object>> responses = new ArrayList<>();
        for (Granted g : granted) {
            String identifier = shells.issue(g.job(), g.request().rank(), g.selection().backend());
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("type", "shell");
            session.put("jobId", g.request().jobId());
            session.put("rank", g.request().rank());
            session.put("sessionIdentifier", identifier);
            // Core then sends the user to the provider's own address.
            session.put("domainOverride", null);
            responses.add(session);
            LOG.info("Shell session handed out for job {} (rank {})", g.request().jobId(), g.request().rank());
        }
        return Map.of("responses", responses);
    }

    private Optional<Requested> parse(JsonNode item, int index, Problems problems) {
        String path = "items[" + index + "]";
        if (!item.isObject()) {
            problems.reject(index, null, path + ": expected {\"job\": {...}, \"rank\": 0, \"sessionType\": \"SHELL\"}, got "
                    + RequestBodies.describe(item));
            return Optional.empty();
        }
        JsonNode id = item.path("job").isObject() ? item.path("job").get("id") : item.get("id");
        if (id == null || !id.isString() || id.asString().isBlank()) {
            problems.reject(index, null, path + ".job.id: the job's id is missing (expected \"job\": {\"id\": ...}, "
                    + "or \"id\")");
            return Optional.empty();
        }
        String jobId = id.asString();
        JsonNode rank = item.get("rank");
        int rankValue = 0;
        if (rank != null && !rank.isNull()) {
            if (!rank.isIntegralNumber() || !rank.canConvertToInt() || rank.asInt() < 0) {
                problems.reject(index, jobId, path + ".rank: must be a whole number from 0, got " + rank);
                return Optional.empty();
            }
            rankValue = rank.asInt();
        }
        JsonNode type = item.get("sessionType");
        if (type == null || !type.isString()) {
            problems.reject(index, jobId, path + ".sessionType: must be SHELL, WEB or VNC");
            return Optional.empty();
        }
        if (NOT_YET.contains(type.asString())) {
            problems.reject(index, jobId, path + ".sessionType: interactive sessions of type " + type.asString()
                    + " are not supported yet; only SHELL is");
            return Optional.empty();
        }
        if (!SHELL.equals(type.asString())) {
            problems.reject(index, jobId, path + ".sessionType: must be SHELL, WEB or VNC, got '" + type.asString() + "'");
            return Optional.empty();
        }
        return Optional.of(new Requested(index, jobId, rankValue));
    }

    private Optional<Job> jobOf(StoredJob stored) {
        try {
            return Optional.of(json.readValue(stored.json(), Job.class));
        } catch (RuntimeException e) {
            LOG.warn("Stored job {} cannot be read as a job", stored.id(), e);
            return Optional.empty();
        }
    }

    private static String rejectedWhy(int bad, int total) {
        return bad + " of " + total + (total == 1 ? " item was" : " items were") + " rejected; no session was opened";
    }

    private record Requested(int index, String jobId, int rank) {
    }

    private record Granted(Requested request, Job job, ComputeBackends.Selection selection) {
    }
}
