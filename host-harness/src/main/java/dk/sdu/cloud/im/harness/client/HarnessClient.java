package dk.sdu.cloud.im.harness.client;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Calls a running IM ({@code ucloud-im serve}) over HTTP with the credentials its {@code harness.auth} accepts
 * (JDK HTTP client). Every failure is a {@link HarnessClientException} whose message names the URL and, where it
 * can, the cause: a refused connection asks whether {@code ucloud-im serve} runs there; 401 says the credentials
 * were refused and what to check; other errors carry the server's own {@code why}.
 */
public final class HarnessClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final CallCredentials credentials;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base        the server, e.g. {@code http://127.0.0.1:8889}
     * @param credentials what the IM's {@code harness.auth} accepts
     * @param timeout     how long a request may take
     */
    public HarnessClient(URI base, CallCredentials credentials, Duration timeout) {
        this.base = requireNonNull(base, "base is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The server's URL. */
    public URI base() {
        return base;
    }

    /** {@code GET path}, answered with JSON. */
    public JsonNode get(String path) {
        return send("GET", path, HttpRequest.newBuilder(resolve(path)).GET());
    }

    /** {@code POST path} with a JSON body. */
    public JsonNode post(String path, JsonNode body) {
        requireNonNull(body, "body is null");
        byte[] bytes = JSON.writeValueAsBytes(body);
        return send("POST", path, HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** The size of the terminal {@link #openShell(String, int)} asks for: wide, so that long lines stay whole. */
    public static final int SHELL_COLS = 250;
    /** The rows of the terminal {@link #openShell(String, int)} asks for. */
    public static final int SHELL_ROWS = 50;

    /**
     * Opens a shell in a job's machine as UCloud does: reads the job ({@code GET /harness/jobs/{id}}) for its provider,
     * asks for a shell session ({@code POST /ucloud/<provider>/jobs/interactiveSession}), opens the websocket
     * ({@code /ucloud/<provider>/websocket}, or the session's {@code domainOverride}) and initialises it.
     *
     * @throws HarnessClientException when any step fails (an unknown job is status 404)
     */
    public ShellSession openShell(String jobId, int rank) {
        return openShell(jobId, rank, SHELL_COLS, SHELL_ROWS);
    }

    /** {@link #openShell(String, int)} with a terminal of {@code cols} x {@code rows}. */
    public ShellSession openShell(String jobId, int rank, int cols, int rows) {
        Session opened = interactiveSession(jobId, rank, "SHELL");
        String provider = opened.provider();
        JsonNode session = opened.session();
        String identifier = session.path("sessionIdentifier").asString("");
        if (identifier.isBlank()) {
            throw new HarnessClientException(0, "the IM handed out no shell session for job " + jobId, null);
        }
        String domain = session.path("domainOverride").isString() && !session.path("domainOverride").asString().isBlank()
                ? session.path("domainOverride").asString() : base.toString();
        URI socket = URI.create(domain.replaceAll("/+$", "").replaceFirst("^http", "ws")
                + dk.sdu.cloud.im.harness.shell.ShellSocket.pathOf(provider));
        return ShellSession.open(socket, provider, identifier, cols, rows, timeout);
    }

    /**
     * Opens a job's screen as UCloud's frontend does: reads the job for its provider, asks for a VNC session
     * ({@code POST /ucloud/<provider>/jobs/interactiveSession}) and opens the websocket of its URL. The URL's path
     * and token are used on this client's server address, which it reaches (the URL's host is the IM's public
     * one, {@code provider.hosts.selfPublic}, which may be a proxy this client cannot reach).
     *
     * @throws HarnessClientException when any step fails (an unknown job is status 404)
     */
    public VncConnection openVnc(String jobId, int rank) {
        VncConnection.Session session = vncSession(jobId, rank);
        return VncConnection.open(reachable(session.url(), jobId), session, timeout);
    }

    /**
     * Asks for a VNC session without opening it: its URL (for a viewer, within the token's lifetime) and the
     * application's password.
     *
     * @throws HarnessClientException when any step fails (an unknown job is status 404)
     */
    public VncConnection.Session vncSession(String jobId, int rank) {
        JsonNode session = interactiveSession(jobId, rank, "VNC").session();
        String url = session.path("url").asString("");
        if (url.isBlank()) {
            throw new HarnessClientException(0, "the IM handed out no VNC session URL for job " + jobId, null);
        }
        return new VncConnection.Session(url, session.path("password").isString()
                ? Optional.of(session.path("password").asString()) : Optional.empty());
    }

    /** A session URL's path and token on this client's server address, as a websocket URL. */
    private URI reachable(String url, String jobId) {
        URI handedOut;
        try {
            handedOut = URI.create(url);
        } catch (IllegalArgumentException e) {
            handedOut = null;
        }
        if (handedOut == null || handedOut.getRawPath() == null || handedOut.getRawQuery() == null) {
            throw new HarnessClientException(0, "the IM handed out no usable VNC session URL for job " + jobId, null);
        }
        return URI.create(base.toString().replaceAll("/+$", "").replaceFirst("^http", "ws")
                + handedOut.getRawPath() + "?" + handedOut.getRawQuery());
    }

    /** A session the provider API handed out, and the provider whose API it was. */
    private record Session(String provider, JsonNode session) {
    }

    /** Reads the job for its provider and asks that provider's API for an interactive session of {@code type}. */
    private Session interactiveSession(String jobId, int rank, String type) {
        requireNonNull(jobId, "jobId is null");
        JsonNode shown = get("/harness/jobs/" + java.net.URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20"));
        JsonNode job = shown.path("job");
        String provider = job.path("specification").path("product").path("provider").asString("");
        if (!job.isObject() || provider.isBlank()) {
            throw new HarnessClientException(0, "the IM's record of job " + jobId + " names no provider "
                    + "(specification.product.provider)", null);
        }
        tools.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
        tools.jackson.databind.node.ObjectNode item = body.putArray("items").addObject();
        item.set("job", job);
        item.put("rank", rank);
        item.put("sessionType", type);
        item.putNull("target");
        return new Session(provider, post("/ucloud/" + provider + "/jobs/interactiveSession", body)
                .path("responses").path(0));
    }

    /**
     * The URL of a job's web console, with a single-use ticket ({@code POST /harness/jobs/<id>/console}).
     *
     * @throws HarnessClientException when the IM refuses (an unknown job is status 404, an ended one 409)
     */
    public URI consoleUrl(String jobId) {
        requireNonNull(jobId, "jobId is null");
        JsonNode answer = post(dk.sdu.cloud.im.harness.console.ConsoleRoutes.ticketPath(
                java.net.URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20")), JSON.createObjectNode());
        String path = answer.path("path").asString("");
        if (!path.startsWith("/")) {
            throw new HarnessClientException(0, "the IM handed out no console URL for job " + jobId, null);
        }
        return resolve(path);
    }

    /**
     * Follows a job as Core does: reads the job ({@code GET /harness/jobs/{id}}) for its provider, opens the follow
     * websocket ({@code /ucloud/jobs.provider.<provider>/websocket}) with this client's credentials in the upgrade
     * request, and sends the init. Returns at once; the messages go to {@code listener}.
     *
     * @throws HarnessClientException when the job cannot be read (an unknown job is status 404) or the stream cannot
     *                                be opened (refused credentials are status 401)
     */
    public FollowStream follow(String jobId, FollowStream.Listener listener) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(listener, "listener is null");
        JsonNode job = get("/harness/jobs/" + java.net.URLEncoder.encode(jobId, StandardCharsets.UTF_8)
                .replace("+", "%20")).path("job");
        String provider = job.path("specification").path("product").path("provider").asString("");
        if (!job.isObject() || provider.isBlank()) {
            throw new HarnessClientException(0, "the IM's record of job " + jobId + " names no provider "
                    + "(specification.product.provider)", null);
        }
        URI socket = URI.create(base.toString().replaceAll("/+$", "").replaceFirst("^http", "ws")
                + dk.sdu.cloud.im.harness.follow.FollowSocket.pathOf(provider));
        return FollowStream.open(socket, provider, credentials.headers(), credentials.refusalHint(), job, listener,
                timeout);
    }

    private URI resolve(String path) {
        return URI.create(base.toString().replaceAll("/+$", "") + path);
    }

    private JsonNode send(String method, String path, HttpRequest.Builder request) {
        HttpResponse<String> response;
        credentials.headers().forEach(request::header);
        try {
            response = http.send(request.timeout(timeout).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new HarnessClientException(0, "cannot connect to " + base + ": is `ucloud-im serve` running at "
                    + base + "?", e);
        } catch (HttpTimeoutException e) {
            throw new HarnessClientException(0, base + " did not answer " + method + " " + path + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new HarnessClientException(0, method + " " + base + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessClientException(0, method + " " + base + path + " was interrupted", e);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            if (body == null) {
                throw new HarnessClientException(status, method + " " + base + path
                        + " answered with something that is not JSON; is this a ucloud-im server?", null);
            }
            return body;
        }
        String why = body != null && body.path("why").isString() ? body.path("why").asString() : abbreviate(response.body());
        if (body != null && body.path("items").isArray()) {
            StringBuilder items = new StringBuilder(why);
            for (JsonNode item : body.path("items")) {
                items.append(System.lineSeparator()).append("  item ").append(item.path("index").asInt())
                        .append(item.path("id").isString() ? " (job " + item.path("id").asString() + ")" : "")
                        .append(": ").append(item.path("why").asString());
            }
            why = items.toString();
        }
        if (status == 401) {
            throw new HarnessClientException(status, base + " refused the credentials (HTTP 401: " + why
                    + "); " + credentials.refusalHint(), null);
        }
        throw new HarnessClientException(status, method + " " + path + " failed with HTTP " + status + ": " + why, null);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String flat = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return flat.isEmpty() ? "(no message)" : flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
