package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.harness.api.ApiError;
import dk.sdu.cloud.im.harness.api.ApiRoutes;
import dk.sdu.cloud.im.harness.shell.ShellSessions;
import dk.sdu.cloud.im.harness.shell.ShellSocket;
import dk.sdu.cloud.im.harness.sockets.JavalinWebSockets;
import dk.sdu.cloud.im.harness.vnc.VncSessions;
import dk.sdu.cloud.im.harness.vnc.VncSocket;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The web console's routes on the provider API's server.
 * <ul>
 *   <li>{@code POST /harness/jobs/{id}/console} (a Core-signed call, as every {@code /harness} route):
 *       {@code {"jobId", "path": "/console/<id>?ticket=...", "expiresAt"}}, a single-use ticket</li>
 *   <li>{@code GET /console/{id}?ticket=...}: trades the ticket for the console cookie (HttpOnly, SameSite=Strict,
 *       path {@code /console/<id>}) and redirects (303) to {@code /console/<id>}</li>
 *   <li>{@code GET /console/{id}} with the cookie: the page</li>
 *   <li>{@code POST /console/{id}/shell} with the cookie: {@code {"sessionIdentifier", "path", "call"}} for the shell
 *       websocket ({@link ShellSocket})</li>
 *   <li>{@code POST /console/{id}/vnc} with the cookie: {@code {"path": "/ucloud/<provider>/vnc?token=..."}}, the
 *       VNC relay's websocket ({@link VncSocket})</li>
 *   <li>websocket {@code /console/{id}/follow} with the cookie: the job's follow stream ({@link FollowRelay})</li>
 *   <li>{@code GET /console/assets/<library>/<file>}: the page's scripts ({@link ConsoleAssets}); no cookie needed,
 *       they are the public libraries' files</li>
 * </ul>
 * Every refusal is JSON {@code {"why"}}: 400 a malformed job id, 401 no, an unknown, used or expired ticket or
 * cookie, 403 a ticket or cookie of another job or a request from another site (its {@code Origin}), 404 an unknown
 * job, 409 an ended one. The console uses the job's machine 0.
 */
public final class ConsoleRoutes implements ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    /** The console cookie's name; its path is the console's, so that one browser holds one per job. */
    public static final String COOKIE = "ucloud-im-console";
    /** The prefix of the routes that check their callers themselves. */
    public static final String PREFIX = "/console/";
    private static final String PAGE = "/console/{jobId}";
    private static final int RANK = 0;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConsoleGrants grants;
    private final ConsoleJobs jobs;
    private final ConsoleAssets assets;
    private final Map<String, FollowRelay> follows = new ConcurrentHashMap<>();

    /**
     * @param grants tickets and cookies
     * @param jobs   the jobs a console may be opened for
     * @param assets the page and its scripts
     */
    public ConsoleRoutes(ConsoleGrants grants, ConsoleJobs jobs, ConsoleAssets assets) {
        this.grants = requireNonNull(grants, "grants is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.assets = requireNonNull(assets, "assets is null");
    }

    /** Where a Core-signed call gets a console ticket for a job: {@code /harness/jobs/<jobId>/console}. */
    public static String ticketPath(String jobId) {
        return "/harness/jobs/" + jobId + "/console";
    }

    @Override
    public String uncheckedPrefix() {
        return PREFIX;
    }

    @Override
    public void addTo(JavalinConfig config, ShellSessions shells, VncSessions vnc) {
        requireNonNull(shells, "shells is null");
        requireNonNull(vnc, "vnc is null");
        config.routes.exception(ConsoleRefusal.class, (e, ctx) -> ctx.status(e.status()).json(ApiError.of(e.getMessage())));
        config.routes.post(ticketPath("{jobId}"), this::issueTicket);
        config.routes.get(ConsoleAssets.PREFIX + "{library}/<file>", this::asset);
        config.routes.get(PAGE, this::page);
        config.routes.post(PAGE + "/shell", ctx -> shell(ctx, shells));
        config.routes.post(PAGE + "/vnc", ctx -> vncScreen(ctx, vnc));
        config.routes.wsBeforeUpgrade(PAGE + "/follow", this::upgradeAllowed);
        config.routes.ws(PAGE + "/follow", this::follow);
    }

    private void issueTicket(Context ctx) {
        String jobId = jobs.live(ctx.pathParam("jobId")).job().id();
        ConsoleGrants.Issued ticket = grants.issueTicket(jobId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", jobId);
        answer.put("path", PREFIX + jobId + "?ticket=" + ticket.secret());
        answer.put("expiresAt", ticket.expiresAt().toString());
        LOG.info("Console ticket handed out for job {}", jobId);
        ctx.json(answer);
    }

    private void asset(Context ctx) {
        ConsoleAssets.Asset asset = assets.find(ctx.pathParam("library"), ctx.pathParam("file"))
                .orElseThrow(() -> new ConsoleRefusal(404, "no console file " + ctx.path()));
        ctx.header("Cache-Control", "no-cache").contentType(asset.contentType()).result(asset.bytes());
    }

    private void page(Context ctx) {
        String jobId = ConsoleJobs.checkedId(ctx.pathParam("jobId"));
        String ticket = ctx.queryParam("ticket");
        if (ticket != null) {
            ConsoleGrants.Issued cookie = grants.exchange(ticket, jobId);
            ctx.header("Set-Cookie", cookieHeader(cookie, secure(ctx)));
            ctx.header("Cache-Control", "no-store");
            // The clean URL: the ticket, used up, leaves the address bar and the history.
            ctx.redirect(PREFIX + jobId, HttpStatus.SEE_OTHER);
            LOG.info("Console of job {} opened by {}", jobId, ctx.ip());
            return;
        }
        allowed(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data: blob:; frame-ancestors 'none'");
        ctx.header("Referrer-Policy", "no-referrer");
        ConsoleAssets.Asset page = assets.page();
        ctx.contentType(page.contentType()).result(page.bytes());
    }

    private void shell(Context ctx, ShellSessions shells) {
        ConsoleJobs.LiveJob live = allowed(ctx);
        String identifier = shells.issue(live.job(), RANK, live.backend());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sessionIdentifier", identifier);
        answer.put("path", ShellSocket.pathOf(live.providerId()));
        answer.put("call", ShellSocket.callOf(live.providerId()));
        ctx.json(answer);
    }

    private void vncScreen(Context ctx, VncSessions vnc) {
        ConsoleJobs.LiveJob live = allowed(ctx);
        String token = vnc.issue(live.job(), RANK, live.backend());
        ctx.json(Map.of("path", VncSocket.pathOf(live.providerId()) + "?" + VncSocket.TOKEN_PARAMETER + "=" + token));
    }

    private void follow(WsConfig ws) {
        ws.onConnect(ctx -> {
            ConsoleJobs.LiveJob live;
            try {
                live = jobs.live(ctx.pathParam("jobId"));
            } catch (ConsoleRefusal e) {
                // The job ended between the upgrade's check and now.
                ctx.closeSession(FollowRelay.REFUSED, e.getMessage());
                return;
            }
            FollowRelay relay = new FollowRelay(ctx::send, (status, why) -> close(ctx, status, why));
            follows.put(ctx.sessionId(), relay);
            ctx.enableAutomaticPings(JavalinWebSockets.PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            relay.start(live);
        });
        ws.onClose(ctx -> {
            ctx.disableAutomaticPings();
            FollowRelay relay = follows.remove(ctx.sessionId());
            if (relay != null) {
                relay.stop();
            }
        });
        ws.onError(ctx -> LOG.debug("console follow websocket: {}", String.valueOf(ctx.error())));
    }

    private static void close(WsContext ctx, int status, String why) {
        // A close frame's reason is at most 123 bytes.
        String reason = why.length() > 100 ? why.substring(0, 100) : why;
        ctx.closeSession(status, reason);
    }

    /**
     * The job of a request that must carry the console cookie, from the console's own site.
     *
     * @throws ConsoleRefusal when it may not
     */
    private ConsoleJobs.LiveJob allowed(Context ctx) {
        String jobId = ConsoleJobs.checkedId(ctx.pathParam("jobId"));
        checkOrigin(ctx.header("Origin"), ctx.header("Host"));
        grants.check(ctx.cookie(COOKIE), jobId);
        return jobs.live(jobId);
    }

    /**
     * {@link #allowed} for a websocket's upgrade request: Javalin writes no result of an upgrade request, so a
     * refusal's JSON body is written here before the refusal stops the upgrade.
     */
    private void upgradeAllowed(Context ctx) throws IOException {
        try {
            allowed(ctx);
        } catch (ConsoleRefusal e) {
            byte[] body = JSON.writeValueAsBytes(ApiError.of(e.getMessage()));
            ctx.res().setStatus(e.status());
            ctx.res().setContentType("application/json");
            ctx.res().setContentLength(body.length);
            ctx.res().getOutputStream().write(body);
            ctx.res().flushBuffer();
            throw e;
        }
    }

    /**
     * A browser names the site a request comes from; one from another site is refused, whatever cookies it
     * carries (SameSite=Strict already keeps them from it; this also holds for a browser that ignores that).
     */
    static void checkOrigin(String origin, String host) {
        if (origin == null) {
            return;
        }
        String authority;
        try {
            authority = URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            authority = null;
        }
        if (authority == null || host == null || !authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
            throw new ConsoleRefusal(403, "a console request from another site (Origin " + origin + ") is refused");
        }
    }

    static String cookieHeader(ConsoleGrants.Issued cookie, boolean secure) {
        return COOKIE + "=" + cookie.secret() + "; Path=" + PREFIX + cookie.jobId() + "; Max-Age="
                + ConsoleGrants.COOKIE_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Whether the browser reached the IM over TLS (directly, or through a proxy that says so). */
    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
