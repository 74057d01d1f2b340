package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.auth.AuthenticationException;
import dk.sdu.cloud.im.harness.auth.CallAuthenticator;
import dk.sdu.cloud.im.harness.auth.Caller;
import dk.sdu.cloud.im.harness.follow.FollowSocket;
import dk.sdu.cloud.im.harness.metrics.HarnessMetrics;
import dk.sdu.cloud.im.harness.time.ScheduledDelayTimer;
import dk.sdu.cloud.im.harness.network.links.LinkBindings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkSettings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.harness.shell.ShellSessions;
import dk.sdu.cloud.im.harness.shell.ShellSocket;
import dk.sdu.cloud.im.harness.time.DelayTimer;
import dk.sdu.cloud.im.harness.sockets.JavalinWebSockets;
import dk.sdu.cloud.im.harness.sockets.NamedRoute;
import dk.sdu.cloud.im.harness.sockets.WebSocketRoutes;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.vnc.VncSessions;
import dk.sdu.cloud.im.harness.vnc.VncSocket;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The harness's HTTP server: the provider API under {@code /ucloud/<providerId>/jobs}, the harness's job
 * view under {@code /harness/jobs}, and {@code /metrics}.
 *
 * <p>Routes (every request but {@code GET /metrics} and websocket upgrades must be UCloud/Core's, as the {@link
 * CallAuthenticator} says, checked before routing, so an unauthenticated request to an unknown route is 401 too;
 * the caller is then the request's {@link #CALLER} attribute; a wrong provider id in the path is 404):
 * <ul>
 *   <li>{@code POST /ucloud/<id>/jobs} {@code {"items": [Job]}} -> {@code {"responses": [{"id"}]}}</li>
 *   <li>{@code POST .../jobs/terminate} {@code {"items": [Job]}}, {@code .../jobs/suspend} and
 *       {@code .../jobs/unsuspend} {@code {"items": [{"job": Job}]}} -> {@code {"responses": [{}]}}</li>
 *   <li>{@code GET|POST .../jobs/retrieveProducts} -> {@code {"responses": [JobSupport]}}</li>
 *   <li>{@code POST .../jobs/requestDynamicParameters} {@code {"owner", "application"}} ->
 *       {@code {"parameters": [...]}}</li>
 *   <li>{@code POST .../jobs/interactiveSession} {@code {"items": [{"job", "rank", "sessionType": "SHELL"}]}} ->
 *       {@code {"responses": [{"type": "shell", "jobId", "rank", "sessionIdentifier", "domainOverride"}]}}; with
 *       {@code "sessionType": "VNC"}: {@code {"type": "vnc", "jobId", "rank", "url", "password",
 *       "domainOverride"}}; with {@code "sessionType": "WEB"}: {@code {"type": "web", "jobId", "rank",
 *       "redirectClientTo": "https://<a link's domain>", "domainOverride"}} ({@link InteractiveSessions})</li>
 *   <li>{@code /ucloud/<id>/ingresses}: Core's public link calls (create, delete, verify, updateAcl,
 *       onUpdatedLabels, retrieveProducts; {@link ProviderIngresses})</li>
 *   <li>websocket {@code /ucloud/<id>/websocket}: the shell ({@link ShellSocket}); authenticated by its session
 *       identifier, not by Core's token (the user's browser opens it)</li>
 *   <li>websocket {@code /ucloud/<id>/vnc?token=<token>}: a job's screen ({@link VncSocket}); authenticated by
 *       its single-use token (an unknown, used or expired one gets 401 before the upgrade)</li>
 *   <li>websocket {@code /ucloud/jobs.provider.<id>/websocket}: a job's follow stream ({@link FollowSocket});
 *       authenticated like every provider call, in the upgrade request (a refusal is a 401 before the
 *       upgrade); the upgrade's answer carries {@code ucloud-no-bearer: true}, as UCloud's IM's does</li>
 *   <li>the {@link ProviderCall}s given to it under {@code /ucloud/<id>/}: the public IPs' {@code networkips} calls,
 *       {@code jobs/attachResource} and {@code jobs/detachResource} ({@link ResourceAttachments}), checked as
 *       the job calls are</li>
 *   <li>the websocket routes of plugins that asked for the API's port</li>
 *   <li>the routes of {@link ApiRoutes} given to it (the web console), outside Core's check under their prefix</li>
 *   <li>{@code GET /harness/jobs}, {@code GET /harness/jobs/{id}}: what the job store holds</li>
 *   <li>{@code GET /metrics}: Prometheus text format</li>
 * </ul>
 *
 * <p>Job requests are answered once checked and recorded in the store; the backends carry them out behind
 * the answer ({@link RequestedWork}).
 *
 * <p>Every error is an {@link ApiError} in JSON, also those Jetty answers before routing (431, a malformed URI
 * or {@code %}-escape, a bad request line: {@link JsonErrorHandler}). Jobs are checked by {@link JobChecks}
 * before any backend sees them.
 *
 * <p>The server does not own its dependencies: the caller opens and closes the store and the backends.
 */
public final class ProviderApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderApiServer.class);
    /** The request attribute holding the authenticated {@link Caller}. */
    public static final String CALLER = "ucloud.caller";
    private static final String JOBS = "/ucloud/{providerId}/jobs";
    private static final String INGRESSES = "/ucloud/{providerId}/ingresses";
    private static final long IDLE_CONNECTION_SHUTDOWN_MILLIS = 50;
    /** Jetty's default limit of a request's line and headers; larger ones get 431. */
    static final int MAX_HEADER_BYTES = 8 * 1024;

    private final ApiSettings settings;
    private final ProviderSettings provider;
    private final HarnessMetrics metrics;
    private final CallAuthenticator authenticator;
    private final ApiJson json;
    private final ProviderJobs jobs;
    private final ProviderIngresses ingresses;
    private final HarnessJobs harnessJobs;
    private final InteractiveSessions interactiveSessions;
    private final ShellSocket shellSocket;
    private final ShellSessions shells;
    private final List<ApiRoutes> extraRoutes;
    private final List<ProviderCall> calls;
    private final FollowSocket followSocket;
    private final VncSessions vncSessions;
    private final VncSocket vncSocket;
    private final ExecutorService vncOpener;
    private final Optional<ScheduledDelayTimer> ownTimer;
    private final List<NamedRoute> socketRoutes;
    private final Object lifecycle = new Object();
    private Javalin app;
    private boolean closed;

    /**
     * @param settings  where and how to serve
     * @param authenticator who may call: every request but {@code GET /metrics} and websocket upgrades
     * @param provider  the provider id the paths must carry
     * @param store     where accepted jobs are recorded
     * @param backends  the compute backends; each tool backend may be claimed by one only
     * @param catalog   the products offered by {@code retrieveProducts}
     * @param metrics   the meters to record requests in and to serve at {@code /metrics}
     * @param work      what carries out the requests the API recorded (their backends' work)
     */
    public ProviderApiServer(ApiSettings settings, CallAuthenticator authenticator, ProviderSettings provider,
                             JobStore store, List<ComputeBackend> backends, MachineCatalog catalog,
                             HarnessMetrics metrics, RequestedWork work) {
        this(settings, authenticator, provider, store, backends, catalog, metrics, work, Clock.systemUTC(),
                Optional.empty(), List.of());
    }

    /**
     * @param clock        when shell session identifiers and VNC tokens expire
     * @param timer        ends shell connections that do not initialise in time and paces the VNC relay's and the
     *                     follow streams' pings;
     *                     empty for one of the server's own
     * @param socketRoutes plugins' websocket routes to serve on this server (their port is the API's)
     * @throws IllegalArgumentException when two of the websocket routes, or one and the shell's, share a path
     */
    public ProviderApiServer(ApiSettings settings, CallAuthenticator authenticator, ProviderSettings provider,
                             JobStore store, List<ComputeBackend> backends, MachineCatalog catalog,
                             HarnessMetrics metrics, RequestedWork work, Clock clock, Optional<DelayTimer> timer,
                             List<NamedRoute> socketRoutes) {
        this(settings, authenticator, provider, store, backends, catalog, metrics, work, clock, timer, socketRoutes,
                List.of());
    }

    /**
     * @param extraRoutes routes other parts of the harness serve here (the web console)
     */
    public ProviderApiServer(ApiSettings settings, CallAuthenticator authenticator, ProviderSettings provider,
                             JobStore store, List<ComputeBackend> backends, MachineCatalog catalog,
                             HarnessMetrics metrics, RequestedWork work, Clock clock, Optional<DelayTimer> timer,
                             List<NamedRoute> socketRoutes, List<ApiRoutes> extraRoutes) {
        this(settings, authenticator, provider, store, backends, catalog, metrics, work, clock, timer, socketRoutes,
                extraRoutes, PublicLinkSettings.disabled(), PublicLinkStore.inMemory());
    }

    /**
     * @param linkSettings what the provider offers for the web (links, web interfaces)
     * @param links        where public links are kept
     */
    public ProviderApiServer(ApiSettings settings, CallAuthenticator authenticator, ProviderSettings provider,
                             JobStore store, List<ComputeBackend> backends, MachineCatalog catalog,
                             HarnessMetrics metrics, RequestedWork work, Clock clock, Optional<DelayTimer> timer,
                             List<NamedRoute> socketRoutes, List<ApiRoutes> extraRoutes,
                             PublicLinkSettings linkSettings, PublicLinkStore links) {
        this(settings, authenticator, provider, store, backends, catalog, metrics, work, clock, timer, socketRoutes,
                extraRoutes, linkSettings, links, List.of());
    }

    /**
     * @param calls Core's calls other parts of the harness serve under {@code /ucloud/<providerId>/} (the network
     *              resources', the attachment of resources to jobs)
     */
    public ProviderApiServer(ApiSettings settings, CallAuthenticator authenticator, ProviderSettings provider,
                             JobStore store, List<ComputeBackend> backends, MachineCatalog catalog,
                             HarnessMetrics metrics, RequestedWork work, Clock clock, Optional<DelayTimer> timer,
                             List<NamedRoute> socketRoutes, List<ApiRoutes> extraRoutes,
                             PublicLinkSettings linkSettings, PublicLinkStore links, List<ProviderCall> calls) {
        requireNonNull(linkSettings, "linkSettings is null");
        requireNonNull(links, "links is null");
        this.calls = List.copyOf(requireNonNull(calls, "calls is null"));
        this.extraRoutes = List.copyOf(requireNonNull(extraRoutes, "extraRoutes is null"));
        this.settings = requireNonNull(settings, "settings is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.provider = requireNonNull(provider, "provider is null");
        requireNonNull(store, "store is null");
        requireNonNull(backends, "backends is null");
        requireNonNull(catalog, "catalog is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.json = new ApiJson(ApiJson.strictMapper());
        this.jobs = new ProviderJobs(store, new ComputeBackends(backends), catalog, provider, json.mapper(),
                new JobChecks(provider.providerId()), requireNonNull(work, "work is null"), linkSettings);
        this.ingresses = new ProviderIngresses(linkSettings, links, new LinkBindings(store, json.mapper()),
                provider.providerId(), jobs.bodies());
        this.harnessJobs = new HarnessJobs(store, json.mapper());
        requireNonNull(clock, "clock is null");
        requireNonNull(timer, "timer is null");
        this.socketRoutes = List.copyOf(requireNonNull(socketRoutes, "socketRoutes is null"));
        WebSocketRoutes.checkDistinct(this.socketRoutes);
        Map<String, String> ownRoutes = Map.of(ShellSocket.pathOf(provider.providerId()), "the provider API's shell",
                VncSocket.pathOf(provider.providerId()), "the provider API's VNC relay",
                FollowSocket.pathOf(provider.providerId()), "the provider API's follow stream");
        this.socketRoutes.stream().filter(r -> ownRoutes.containsKey(r.route().path())).findFirst().ifPresent(r -> {
            throw new IllegalArgumentException("two websocket routes at port " + r.route().port() + ", path "
                    + r.route().path() + ": " + ownRoutes.get(r.route().path()) + " and " + r.owner());
        });
        this.ownTimer = timer.isPresent() ? Optional.empty() : Optional.of(new ScheduledDelayTimer("shell-timer"));
        DelayTimer sessionTimer = timer.isPresent() ? timer.get() : ownTimer.get();
        this.shells = new ShellSessions(clock);
        this.vncSessions = new VncSessions(clock);
        this.interactiveSessions = new InteractiveSessions(store, new ComputeBackends(backends), shells, vncSessions,
                provider.providerId(), this::publicUrl, json.mapper(), links);
        this.shellSocket = new ShellSocket(provider.providerId(), shells, sessionTimer);
        this.vncOpener = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "vnc-open");
            thread.setDaemon(true);
            return thread;
        });
        this.vncSocket = new VncSocket(vncSessions, sessionTimer, vncOpener);
        this.followSocket = new FollowSocket(provider.providerId(),
                new StoredFollowTargets(store, new ComputeBackends(backends), json.mapper()), sessionTimer);
    }

    /**
     * The tokens of VNC sessions: the provider API hands them out, and so may a page of the IM's own that shows a
     * job's screen.
     */
    public VncSessions vncSessions() {
        return vncSessions;
    }

    /** The API's base URL as browsers reach it: the settings', else {@code http://<bindHost>:<port>}. */
    URI publicUrl() {
        return settings.publicUrl().orElseGet(() -> {
            String host = settings.bindHost().contains(":") && !settings.bindHost().startsWith("[")
                    ? "[" + settings.bindHost() + "]" : settings.bindHost();
            return URI.create("http://" + host + ":" + port());
        });
    }

    /**
     * Starts serving.
     *
     * @return the port it listens on (the chosen one when the settings say 0)
     * @throws IllegalStateException when already started or closed
     */
    public int start() {
        synchronized (lifecycle) {
            if (app != null || closed) {
                throw new IllegalStateException("the provider API server was already started");
            }
            app = Javalin.create(this::configure);
            app.start();
            LOG.info("Provider API for provider '{}' listening on {}:{}", provider.providerId(),
                    settings.bindHost(), app.port());
            return app.port();
        }
    }

    /** The port it listens on. */
    public int port() {
        synchronized (lifecycle) {
            if (app == null) {
                throw new IllegalStateException("the provider API server is not started");
            }
            return app.port();
        }
    }

    /**
     * Stops accepting connections, lets requests in flight finish for up to the settings' shutdown
     * timeout, then stops. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (app != null) {
                LOG.info("Provider API stopping (waiting up to {} for requests in flight)", settings.shutdownTimeout());
                try {
                    app.stop();
                } catch (RuntimeException e) {
                    if (!causedByTimeout(e)) {
                        throw e;
                    }
                    // Jetty stops everything anyway and reports the wait that ran out afterwards.
                    LOG.warn("Provider API stopped; requests still in flight after {} were cut off",
                            settings.shutdownTimeout());
                }
            }
            ownTimer.ifPresent(ScheduledDelayTimer::close);
            vncOpener.shutdownNow();
        }
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        config.jsonMapper(json);
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.http.prefer405over404 = true;
        config.jetty.host = settings.bindHost();
        config.jetty.port = settings.port();
        JsonErrorHandler errors = new JsonErrorHandler(json.mapper(), MAX_HEADER_BYTES);
        config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_HEADER_BYTES));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
        config.jetty.modifyServer(server -> {
            // Errors Jetty answers before a route runs (431, a malformed URI, ...) are JSON too.
            server.setErrorHandler(errors);
            // With a stop timeout, Jetty closes its connectors first and GracefulHandler waits for requests
            // in flight; Javalin puts its servlet context inside this wrapper. Idle keep-alive connections
            // hold nothing up: they are closed after a short idle time once the shutdown began.
            server.setStopTimeout(settings.shutdownTimeout().toMillis());
            GracefulHandler graceful = new GracefulHandler();
            graceful.setShutdownIdleTimeout(IDLE_CONNECTION_SHUTDOWN_MILLIS);
            server.setHandler(graceful);
        });
        config.requestLogger.http((ctx, millis) -> metrics.recordRequest(ctx.method().name(), routeOf(ctx),
                ctx.statusCode(), Duration.ofNanos((long) (millis * 1_000_000d))));

        // Before routing: an unauthenticated caller learns nothing, not even which routes exist.
        config.routes.before(this::authenticate);
        config.routes.get("/metrics", ctx -> ctx.contentType(HarnessMetrics.CONTENT_TYPE).result(metrics.scrape()));

        config.routes.post(JOBS, providerRoute(jobs::create));
        config.routes.post(JOBS + "/terminate", providerRoute(jobs::terminate));
        config.routes.post(JOBS + "/suspend", providerRoute(jobs::suspend));
        config.routes.post(JOBS + "/unsuspend", providerRoute(jobs::unsuspend));
        Handler products = providerRouteWithoutBody(jobs::retrieveProducts);
        config.routes.get(JOBS + "/retrieveProducts", products);
        config.routes.post(JOBS + "/retrieveProducts", products);
        config.routes.post(JOBS + "/requestDynamicParameters", providerRoute(jobs::requestDynamicParameters));
        config.routes.post(JOBS + "/interactiveSession", providerRoute(interactiveSessions::open));
        config.routes.post(INGRESSES, providerRoute(ingresses::create));
        config.routes.delete(INGRESSES, providerRoute(ingresses::delete));
        config.routes.post(INGRESSES + "/verify", providerRoute(ingresses::acknowledge));
        config.routes.post(INGRESSES + "/updateAcl", providerRoute(ingresses::acknowledge));
        config.routes.post(INGRESSES + "/onUpdatedLabels", providerRoute(ingresses::acknowledge));
        Handler linkProducts = providerRouteWithoutBody(ingresses::retrieveProducts);
        config.routes.get(INGRESSES + "/retrieveProducts", linkProducts);
        config.routes.post(INGRESSES + "/retrieveProducts", linkProducts);
        for (ProviderCall call : calls) {
            String path = "/ucloud/{providerId}/" + call.path();
            Handler handler = providerRoute(body -> call.action().apply(body));
            switch (call.method()) {
                case "GET" -> config.routes.get(path, providerRouteWithoutBody(() -> call.action()
                        .apply(tools.jackson.databind.node.NullNode.getInstance())));
                case "DELETE" -> config.routes.delete(path, handler);
                default -> config.routes.post(path, handler);
            }
        }
        // Upgrades skip the check of before(): the shell is authenticated by its session identifier, and
        // a plugin's route by its own protocol.
        JavalinWebSockets.serve(config, "the provider API's shell", ShellSocket.pathOf(provider.providerId()),
                ShellSocket.MAX_FRAME_BYTES, shellSocket, true);
        String vncPath = VncSocket.pathOf(provider.providerId());
        // An upgrade whose token could not open a screen is refused with a JSON 401 before it; a token that
        // passes here and is used up meanwhile still gets the websocket's own refusal (4401).
        config.routes.wsBeforeUpgrade(vncPath, ctx -> {
            if (!vncSessions.isWaiting(ctx.queryParam(VncSocket.TOKEN_PARAMETER))) {
                refuseUpgrade(ctx, 401, "unknown, used or expired VNC token (the 'token' query parameter of the "
                        + "session's URL; a token opens one connection within " + VncSessions.LIFETIME.toSeconds()
                        + " s of being handed out)");
            }
        });
        // Pings come from the relay itself (VncSocket), on the injected timer.
        JavalinWebSockets.serve(config, "the provider API's VNC relay", vncPath, VncSocket.MAX_FRAME_BYTES,
                vncSocket, false);
        String followPath = FollowSocket.pathOf(provider.providerId());
        config.routes.wsBeforeUpgrade(followPath, this::authenticateUpgrade);
        JavalinWebSockets.serve(config, "the provider API's follow stream", followPath,
                FollowSocket.MAX_FRAME_BYTES, followSocket, false);
        socketRoutes.forEach(route -> JavalinWebSockets.serve(config, route));
        extraRoutes.forEach(routes -> routes.addTo(config, shells, vncSessions));

        config.routes.get("/harness/jobs", ctx -> ctx.json(harnessJobs.list()));
        config.routes.get("/harness/jobs/{id}", ctx -> ctx.json(harnessJobs.show(ctx.pathParam("id"))));

        config.routes.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(e.error()));
        config.routes.exception(HttpResponseException.class, this::frameworkError);
        config.routes.exception(Exception.class, (e, ctx) -> {
            String reference = Problems.newReference();
            LOG.error("{} {} failed (error reference {})", ctx.method(), ctx.path(), reference, e);
            ctx.status(500).json(ApiError.of("internal error; error reference " + reference
                    + " in the provider's log"));
        });
    }

    private void authenticate(Context ctx) {
        if ("/metrics".equals(ctx.path())
                || extraRoutes.stream().anyMatch(routes -> ctx.path().startsWith(routes.uncheckedPrefix()))) {
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(ctx::header);
        } catch (AuthenticationException e) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, ApiError.of(e.getMessage()));
        }
        ctx.attribute(CALLER, caller);
    }


    /**
     * Core opens the follow stream with its token in the upgrade request: checked as every call's is. A refusal
     * stops the upgrade; Javalin writes no result of an upgrade request, so the JSON body is written here.
     */
    private void authenticateUpgrade(Context ctx) throws IOException {
        try {
            ctx.attribute(CALLER, authenticator.authenticate(ctx::header));
        } catch (AuthenticationException e) {
            ctx.res().setHeader("WWW-Authenticate", "Bearer");
            refuseUpgrade(ctx, 401, e.getMessage());
        }
        ctx.header("ucloud-no-bearer", "true");
    }

    private Handler providerRoute(Function<JsonNode, ? extends Object> action) {
        return ctx -> {
            checkProvider(ctx);
            JsonNode body = jobs.bodies().parse(ctx.bodyAsBytes());
            ctx.json(action.apply(body));
        };
    }

    private Handler providerRouteWithoutBody(Supplier<? extends Object> action) {
        return ctx -> {
            checkProvider(ctx);
            ctx.json(action.get());
        };
    }

    /**
     * Answers a websocket upgrade with an error instead. Javalin writes no body for an exception before an upgrade,
     * so the JSON is written and sent here; the exception then only stops the upgrade.
     */
    private void refuseUpgrade(Context ctx, int status, String why) throws java.io.IOException {
        byte[] body = json.mapper().writeValueAsBytes(ApiError.of(why));
        ctx.res().setStatus(status);
        ctx.res().setContentType("application/json");
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
        ctx.res().flushBuffer();
        throw new ApiException(status, ApiError.of(why));
    }

    private void checkProvider(Context ctx) {
        String requested = ctx.pathParam("providerId");
        if (!provider.providerId().equals(requested)) {
            throw new ApiException(404, ApiError.of("unknown provider '" + requested + "'"));
        }
    }

    private void frameworkError(HttpResponseException e, Context ctx) {
        String why = switch (e.getStatus()) {
            case 404 -> "no such route: " + ctx.method() + " " + ctx.path();
            case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "the request body is larger than the limit of " + settings.maxBodyBytes() + " bytes";
            default -> e.getMessage();
        };
        ctx.status(e.getStatus()).json(ApiError.of(why));
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String routeOf(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }
}
