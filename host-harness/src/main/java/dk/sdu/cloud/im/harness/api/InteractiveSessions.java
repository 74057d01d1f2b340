package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.network.PublicLinkLookup;
import dk.sdu.cloud.im.harness.network.links.LinkBindings;
import dk.sdu.cloud.im.harness.shell.ShellSessions;
import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.harness.vnc.VncSessions;
import dk.sdu.cloud.im.harness.vnc.VncSocket;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.ApplicationInvocation;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobStatus;
import dk.sdu.cloud.im.spi.job.ResolvedApplication;
import dk.sdu.cloud.im.spi.job.VncDescription;
import dk.sdu.cloud.im.spi.network.PublicLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * {@code POST /ucloud/<provider>/jobs/interactiveSession}: Core's {@code jobs.provider.<id>.openInteractiveSession},
 * a bulk request of {@code {"job": Job, "rank": 0, "sessionType": "SHELL", "target": null}} items (an item may
 * name the job by {@code "id"} instead of {@code "job"}). Answers one response per item, in UCloud's
 * {@code OpenSession} shapes:
 * <ul>
 *   <li>{@code SHELL}: {@code {"type": "shell", "jobId", "rank", "sessionIdentifier", "domainOverride": null}};
 *       the identifier opens the shell websocket ({@link dk.sdu.cloud.im.harness.shell.ShellSocket});</li>
 *   <li>{@code VNC}: {@code {"type": "vnc", "jobId", "rank", "url", "password", "domainOverride": null}}, where
 *       {@code url} is {@code <public base>/ucloud/<provider>/vnc?token=<token>}, the token single-use and
 *       short-lived ({@link VncSessions}), and {@code password} the application's {@code invocation.vnc.password}
 *       (null without one); the URL opens the VNC websocket ({@link VncSocket}).</li>
 *   <li>{@code WEB}: {@code {"type": "web", "jobId", "rank", "redirectClientTo": "https://<domain>",
 *       "domainOverride": null}}: the domain of a public link of the job ({@code ingress} resources) that is bound to
 *       a port, the one the item's {@code target} names (a domain or a link id) if any, else the first. A VM has no web
 *       address of its own (UCloud's KubeVirt IM gives it none either), so a job without such a link is refused.</li>
 * </ul>
 *
 * <p>The request is checked whole first: a malformed item, a session type other than SHELL, WEB or VNC, a rank
 * that is not a machine of the job, a job without a backend, or a WEB session of a job without a public link bound
 * to a port refuses it (400); a job not known here 404; a job that has ended or was terminated 409. Nothing is
 * handed out then.
 */
final class InteractiveSessions {
    private static final Logger LOG = LoggerFactory.getLogger(InteractiveSessions.class);
    static final String SHELL = "SHELL";
    static final String VNC = "VNC";
    static final String WEB = "WEB";

    private final JobStore store;
    private final ComputeBackends backends;
    private final ShellSessions shells;
    private final VncSessions screens;
    private final String vncPath;
    private final Supplier<URI> publicUrl;
    private final RequestBodies bodies;
    private final JsonMapper json;
    private final PublicLinkLookup links;

    /**
     * @param providerId the provider's id, part of the VNC URL's path
     * @param publicUrl  the API's base URL as browsers reach it, when a VNC session is handed out
     * @param links      where the domains of jobs' public links are looked up, for WEB sessions
     */
    InteractiveSessions(JobStore store, ComputeBackends backends, ShellSessions shells, VncSessions screens,
                        String providerId, Supplier<URI> publicUrl, JsonMapper json, PublicLinkLookup links) {
        this.links = requireNonNull(links, "links is null");
        this.store = requireNonNull(store, "store is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.shells = requireNonNull(shells, "shells is null");
        this.screens = requireNonNull(screens, "screens is null");
        this.vncPath = VncSocket.pathOf(requireNonNull(providerId, "providerId is null"));
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
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
            Optional<String> webAddress = Optional.empty();
            if (WEB.equals(r.type())) {
                Optional<String> problem = webProblem(job.get(), r);
                if (problem.isPresent()) {
                    bad.reject(r.index(), r.jobId(), problem.get());
                    continue;
                }
                webAddress = webAddress(job.get(), r.target());
            }
            granted.add(new Granted(r, job.get(), selection, webAddress));
        }
        unknown.throwIfAny(404, unknown.count() + " of " + items.size()
                + " jobs are not known to this provider; no session was opened");
        ended.throwIfAny(409, ended.count() + " of " + items.size() + " jobs have ended; no session was opened");
        bad.throwIfAny(400, rejectedWhy(bad.count(), items.size()));

        List<Map<String, Object>> responses = new ArrayList<>();
        for (Granted g : granted) {
            responses.add(switch (g.request().type()) {
                case VNC -> vnc(g);
                case WEB -> web(g);
                default -> shell(g);
            });
        }
        return Map.of("responses", responses);
    }

    private Map<String, Object> shell(Granted g) {
        String identifier = shells.issue(g.job(), g.request().rank(), g.selection().backend());
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("type", "shell");
        session.put("jobId", g.request().jobId());
        session.put("rank", g.request().rank());
        session.put("sessionIdentifier", identifier);
        // Core then sends the user to the provider's own address.
        session.put("domainOverride", null);
        LOG.info("Shell session handed out for job {} (rank {})", g.request().jobId(), g.request().rank());
        return session;
    }

    private Map<String, Object> vnc(Granted g) {
        String token = screens.issue(g.job(), g.request().rank(), g.selection().backend());
        String base = publicUrl.get().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("type", "vnc");
        session.put("jobId", g.request().jobId());
        session.put("rank", g.request().rank());
        session.put("url", base + vncPath + "?" + VncSocket.TOKEN_PARAMETER + "="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        session.put("password", vncPassword(g.job()).orElse(null));
        session.put("domainOverride", null);
        LOG.info("VNC session handed out for job {} (rank {})", g.request().jobId(), g.request().rank());
        return session;
    }

    private Map<String, Object> web(Granted g) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("type", "web");
        session.put("jobId", g.request().jobId());
        session.put("rank", g.request().rank());
        session.put("redirectClientTo", g.webAddress().orElseThrow());
        session.put("domainOverride", null);
        LOG.info("Web session handed out for job {} (rank {}): {}", g.request().jobId(), g.request().rank(),
                g.webAddress().get());
        return session;
    }

    /** Why the job has no web address, or empty when it has one. */
    private Optional<String> webProblem(Job job, Requested r) {
        String path = "items[" + r.index() + "]";
        List<AppParameterValue> attached = LinkBindings.linksOf(job);
        if (attached.isEmpty()) {
            return Optional.of(path + ": job " + r.jobId() + " has no public link, and a virtual machine has no web "
                    + "address of its own; add a public link to the job, bound to the port its web server listens on");
        }
        if (attached.stream().noneMatch(InteractiveSessions::boundToPort)) {
            return Optional.of(path + ": the public links of job " + r.jobId() + " are bound to no port; bind a "
                    + "link to the port of the virtual machine its web server listens on");
        }
        if (webAddress(job, r.target()).isEmpty()) {
            return Optional.of(path + ": the public links of job " + r.jobId() + " are not known to this provider");
        }
        return Optional.empty();
    }

    /**
     * The URL of the job's link the target names (a domain or an id), else of its first link bound to a port (Core's
     * target names a container's web interface, which a VM does not have).
     */
    private Optional<String> webAddress(Job job, String target) {
        List<PublicLink> known = LinkBindings.linksOf(job).stream()
                .filter(InteractiveSessions::boundToPort)
                .flatMap(resource -> links.find(resource.id()).stream())
                .toList();
        return known.stream().filter(link -> target != null && (target.equals(link.domain()) || target.equals(link.id())))
                .findFirst()
                .or(() -> known.stream().findFirst())
                .map(link -> "https://" + link.domain());
    }

    private static boolean boundToPort(AppParameterValue resource) {
        return resource.port() != null && resource.port() > 0;
    }

    /** The application's VNC password ({@code invocation.vnc.password}), as Core resolved the application. */
    static Optional<String> vncPassword(Job job) {
        return Optional.ofNullable(job.status())
                .map(JobStatus::resolvedApplication)
                .map(ResolvedApplication::invocation)
                .map(ApplicationInvocation::vnc)
                .map(VncDescription::password);
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
        if (!SHELL.equals(type.asString()) && !VNC.equals(type.asString()) && !WEB.equals(type.asString())) {
            problems.reject(index, jobId, path + ".sessionType: must be SHELL, WEB or VNC, got '" + type.asString() + "'");
            return Optional.empty();
        }
        JsonNode target = item.get("target");
        String targetValue = target != null && target.isString() && !target.asString().isBlank()
                ? target.asString() : null;
        return Optional.of(new Requested(index, jobId, rankValue, type.asString(), targetValue));
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

    private record Requested(int index, String jobId, int rank, String type, String target) {
    }

    private record Granted(Requested request, Job job, ComputeBackends.Selection selection,
                           Optional<String> webAddress) {
    }
}
