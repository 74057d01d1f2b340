package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.harness.api.ApiFixture;
import dk.sdu.cloud.im.harness.api.ApiSettings;
import dk.sdu.cloud.im.harness.api.ComputeBackends;
import dk.sdu.cloud.im.harness.api.ProviderApiServer;
import dk.sdu.cloud.im.harness.metrics.HarnessMetrics;
import dk.sdu.cloud.im.harness.shell.ShellSocket;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.harness.testing.TestWebSocket;
import dk.sdu.cloud.im.harness.vnc.VncSocket;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static dk.sdu.cloud.im.harness.api.ExampleJobs.JSON;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The console's routes on the provider API's server, over HTTP: the ticket (Core's), its trade for the cookie, the
 * page, the shell and VNC hand-outs, the follow relay, the files; every refusal with its status and JSON reason.
 */
class ConsoleRoutesTest {
    private static final String PROVIDER = ApiFixture.PROVIDER;
    private static final String JOB = "4242";
    private static final String OTHER_JOB = "4343";

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T04:00:00Z"));
    private final ManualDelayTimer timer = new ManualDelayTimer();
    private final ConsoleBackend backend = new ConsoleBackend();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private H2JobStore store;
    private HarnessMetrics metrics;
    private ProviderApiServer server;
    private int port;

    @BeforeEach
    void start() {
        store = H2JobStore.open(dir.resolve("jobs"), clock);
        metrics = new HarnessMetrics(store);
        server = serve();
        port = server.start();
        assertThat(send(core("/ucloud/" + PROVIDER + "/jobs").POST(body(bulk(vmJob(JOB), vmJob(OTHER_JOB))))).statusCode())
                .isEqualTo(200);
    }

    private ProviderApiServer serve() {
        ConsoleRoutes console = new ConsoleRoutes(new ConsoleGrants(clock),
                new ConsoleJobs(store, new ComputeBackends(List.of(backend)), JSON),
                new ConsoleAssets(getClass().getClassLoader()));
        return new ProviderApiServer(new ApiSettings("127.0.0.1", 0, ApiSettings.DEFAULT_MAX_BODY_BYTES,
                Duration.ofSeconds(5)), ApiFixture.jwtAuthenticator(dir, java.time.Clock.systemUTC()),
                new ProviderSettings(PROVIDER, Set.of()), store, List.of(backend), () -> ApiFixture.PRODUCTS, metrics,
                ids -> { }, clock, Optional.of(timer), List.of(), List.of(console));
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
        store.close();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpRequest.Builder plain(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    private HttpRequest.Builder core(String path) {
        HttpRequest.Builder request = plain(path).header("Content-Type", "application/json");
        ApiFixture.CREDENTIALS.headers().forEach(request::header);
        return request;
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The path with the ticket that a Core-signed call gets. */
    private String ticketPath(String jobId) {
        HttpResponse<String> response = send(core(ConsoleRoutes.ticketPath(jobId)).POST(body("{}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("jobId").asString()).isEqualTo(jobId);
        assertThat(answer.path("expiresAt").asString()).isEqualTo(clock.instant().plus(ConsoleGrants.TICKET_LIFETIME).toString());
        return answer.path("path").asString();
    }

    /** The console cookie ("name=value") a browser gets for the job. */
    private String cookie(String jobId) {
        HttpResponse<String> traded = send(plain(ticketPath(jobId)).GET());
        assertThat(traded.statusCode()).as(traded.body()).isEqualTo(303);
        return traded.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static void refused(HttpResponse<String> response, int status, String why) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(JSON.readTree(response.body()).path("why").asString()).contains(why);
    }

    // --- the ticket -----------------------------------------------------------------------------------------------

    @Test
    void aTicketIsCoresToHandOut() {
        refused(send(plain(ConsoleRoutes.ticketPath(JOB)).POST(body("{}"))), 401, "");
        assertThat(ticketPath(JOB)).matches("/console/" + JOB + "\\?ticket=[A-Za-z0-9_-]{43}");
    }

    @Test
    void aTicketIsOnlyForAJobThatIsKnownAndRuns() {
        refused(send(core(ConsoleRoutes.ticketPath("999")).POST(body("{}"))), 404, "no job 999 is known");
        refused(send(core(ConsoleRoutes.ticketPath("a%20b")).POST(body("{}"))), 400, "a console's job id is");
        assertThat(send(core("/ucloud/" + PROVIDER + "/jobs/terminate").POST(body(bulk(vmJob(JOB))))).statusCode())
                .isEqualTo(200);
        refused(send(core(ConsoleRoutes.ticketPath(JOB)).POST(body("{}"))), 409, "job " + JOB + " was terminated");
    }

    @Test
    void theTicketBecomesAStrictHttpOnlyCookieOfTheJobsPathAndTheUrlIsCleaned() {
        HttpResponse<String> traded = send(plain(ticketPath(JOB)).GET());

        assertThat(traded.statusCode()).isEqualTo(303);
        assertThat(traded.headers().firstValue("Location")).hasValue("/console/" + JOB);
        String setCookie = traded.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).matches(ConsoleRoutes.COOKIE + "=[A-Za-z0-9_-]{43}; Path=/console/" + JOB
                + "; Max-Age=3600; HttpOnly; SameSite=Strict");

        HttpResponse<String> page = send(plain("/console/" + JOB).header("Cookie", setCookie.split(";")[0]).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("/console/assets/xterm/lib/xterm.js", "/console/assets/app/console.js");
    }

    @Test
    void behindATlsProxyTheCookieIsSecure() {
        HttpResponse<String> traded = send(plain(ticketPath(JOB)).header("X-Forwarded-Proto", "https").GET());
        assertThat(traded.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
    }

    @Test
    void aTicketOpensTheConsoleOnceAndOnlyBeforeItExpires() {
        String path = ticketPath(JOB);
        assertThat(send(plain(path).GET()).statusCode()).isEqualTo(303);
        refused(send(plain(path).GET()), 401, "unknown, used or expired console ticket");

        String late = ticketPath(JOB);
        clock.advance(ConsoleGrants.TICKET_LIFETIME);
        refused(send(plain(late).GET()), 401, "unknown, used or expired console ticket");
        refused(send(plain("/console/" + JOB + "?ticket=forged").GET()), 401, "unknown, used or expired console ticket");
    }

    @Test
    void aTicketOfAnotherJobIsForbidden() {
        String path = ticketPath(JOB).replace("/console/" + JOB, "/console/" + OTHER_JOB);
        refused(send(plain(path).GET()), 403, "this console ticket is for job " + JOB + ", not job " + OTHER_JOB);
    }

    // --- the cookie -----------------------------------------------------------------------------------------------

    @Test
    void withoutTheCookieNothingOfTheJobIsServed() {
        refused(send(plain("/console/" + JOB).GET()), 401, "no console cookie");
        refused(send(plain("/console/" + JOB + "/shell").POST(body(""))), 401, "no console cookie");
        refused(send(plain("/console/" + JOB + "/vnc").POST(body(""))), 401, "no console cookie");
        refused(send(plain("/console/" + JOB).header("Cookie", ConsoleRoutes.COOKIE + "=forged").GET()), 401,
                "unknown or expired console cookie");
        // Core's credentials are not the console's.
        refused(send(core("/console/" + JOB).GET()), 401, "no console cookie");
    }

    @Test
    void theCookieExpiresAfterAnHour() {
        String cookie = cookie(JOB);
        clock.advance(ConsoleGrants.COOKIE_LIFETIME.minusSeconds(1));
        assertThat(send(plain("/console/" + JOB).header("Cookie", cookie).GET()).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        refused(send(plain("/console/" + JOB).header("Cookie", cookie).GET()), 401, "unknown or expired console cookie");
    }

    @Test
    void theCookieOfAnotherJobIsForbidden() {
        String cookie = cookie(JOB);
        refused(send(plain("/console/" + OTHER_JOB).header("Cookie", cookie).GET()), 403,
                "this console cookie is for job " + JOB + ", not job " + OTHER_JOB);
        refused(send(plain("/console/" + OTHER_JOB + "/shell").header("Cookie", cookie).POST(body(""))), 403,
                "this console cookie is for job " + JOB);
    }

    @Test
    void aRequestFromAnotherSiteIsForbidden() {
        String cookie = cookie(JOB);
        refused(send(plain("/console/" + JOB + "/shell").header("Cookie", cookie)
                .header("Origin", "https://evil.example").POST(body(""))), 403, "from another site");
        refused(send(plain("/console/" + JOB + "/shell").header("Cookie", cookie)
                .header("Origin", "null").POST(body(""))), 403, "from another site");
        assertThat(send(plain("/console/" + JOB + "/shell").header("Cookie", cookie)
                .header("Origin", "http://127.0.0.1:" + port).POST(body(""))).statusCode()).isEqualTo(200);
    }

    @Test
    void theConsoleOfAnEndedJobIsGone() {
        String cookie = cookie(JOB);
        assertThat(send(core("/ucloud/" + PROVIDER + "/jobs/terminate").POST(body(bulk(vmJob(JOB))))).statusCode())
                .isEqualTo(200);
        refused(send(plain("/console/" + JOB).header("Cookie", cookie).GET()), 409, "was terminated");
    }

    // --- what the page uses ---------------------------------------------------------------------------------------

    @Test
    void theShellIdentifierOpensTheShellWebsocket() {
        String cookie = cookie(JOB);
        HttpResponse<String> response = send(plain("/console/" + JOB + "/shell").header("Cookie", cookie).POST(body("")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode session = JSON.readTree(response.body());
        assertThat(session.path("path").asString()).isEqualTo(ShellSocket.pathOf(PROVIDER));
        assertThat(session.path("call").asString()).isEqualTo(ShellSocket.callOf(PROVIDER));

        try (TestWebSocket shell = TestWebSocket.connect(URI.create("ws://127.0.0.1:" + port + session.path("path").asString()))) {
            shell.send("{\"call\": \"" + ShellSocket.callOf(PROVIDER) + "\", \"streamId\": \"0\", \"payload\": "
                    + "{\"type\": \"initialize\", \"sessionIdentifier\": \"" + session.path("sessionIdentifier").asString()
                    + "\", \"cols\": 80, \"rows\": 24}}");
            assertThat(JSON.readTree(shell.next()).path("payload").path("type").asString()).isEqualTo("initialize");
            assertThat(JSON.readTree(shell.next()).path("payload").path("data").asString()).isEqualTo(ConsoleBackend.GREETING);
        }
    }

    @Test
    void theVncPathCarriesATokenOfTheRelay() {
        String cookie = cookie(JOB);
        HttpResponse<String> response = send(plain("/console/" + JOB + "/vnc").header("Cookie", cookie).POST(body("")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String path = JSON.readTree(response.body()).path("path").asString();
        assertThat(path).matches(java.util.regex.Pattern.quote(VncSocket.pathOf(PROVIDER) + "?"
                + VncSocket.TOKEN_PARAMETER + "=") + "[A-Za-z0-9_-]{43}");
        assertThat(server.vncSessions().isWaiting(path.substring(path.indexOf('=') + 1))).isTrue();
    }

    @Test
    void theFollowRelayCarriesTheBackendsMessagesUntilTheJobEnds() {
        String cookie = cookie(JOB);
        try (BrowserSocket follow = BrowserSocket.connect(URI.create("ws://127.0.0.1:" + port + "/console/" + JOB + "/follow"),
                Map.of("Cookie", cookie))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> backend.followers.size() == 1);
            FollowOutput output = backend.followers.get(0);
            output.message(FollowMessage.onChannel(0, "utilization-data", "1765080000000,12.5,1048576"));
            output.message(FollowMessage.stdout(0, "booted"));

            JsonNode sample = JSON.readTree(follow.next());
            assertThat(sample.path("channel").asString()).isEqualTo("utilization-data");
            assertThat(sample.path("stdout").asString()).isEqualTo("1765080000000,12.5,1048576");
            assertThat(sample.path("rank").asInt()).isZero();
            JsonNode line = JSON.readTree(follow.next());
            assertThat(line.path("stdout").asString()).isEqualTo("booted");
            assertThat(line.path("channel").isNull()).isTrue();

            output.ended("the job ended");
            assertThat(JSON.readTree(follow.next()).path("ended").asString()).isEqualTo("the job ended");
            assertThat(follow.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void theBrowserLeavingStopsTheFollower() {
        String cookie = cookie(JOB);
        BrowserSocket follow = BrowserSocket.connect(URI.create("ws://127.0.0.1:" + port + "/console/" + JOB + "/follow"),
                Map.of("Cookie", cookie));
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.followers.size() == 1);
        follow.closeNormally();
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.followsClosed.get() == 1);
        assertThat(backend.followers).isEmpty();
    }

    @Test
    void theFollowWebsocketNeedsTheCookieAndTheSite() {
        URI follow = URI.create("ws://127.0.0.1:" + port + "/console/" + JOB + "/follow");
        assertThatThrownBy(() -> BrowserSocket.connect(follow, Map.of())).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401));
        String cookie = cookie(JOB);
        assertThatThrownBy(() -> BrowserSocket.connect(follow, Map.of("Cookie", cookie, "Origin", "https://evil.example")))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(403));
        assertThat(backend.followers).isEmpty();
    }

    // --- the files ------------------------------------------------------------------------------------------------

    @Test
    void theLibrariesAreServedFromTheJarAndNothingElse() {
        HttpResponse<String> xterm = send(plain("/console/assets/xterm/lib/xterm.js").GET());
        assertThat(xterm.statusCode()).isEqualTo(200);
        assertThat(xterm.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(send(plain("/console/assets/uplot/dist/uPlot.iife.min.js").GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> rfb = send(plain("/console/assets/novnc/core/rfb.js").GET());
        assertThat(rfb.statusCode()).isEqualTo(200);
        assertThat(rfb.body()).contains("export default class RFB");
        assertThat(send(plain("/console/assets/app/console.js").GET()).statusCode()).isEqualTo(200);

        refused(send(plain("/console/assets/app/missing.js").GET()), 404, "no console file");
        refused(send(plain("/console/assets/secrets/x.js").GET()), 404, "no console file");
        refused(send(plain("/console/assets/app/.hidden.js").GET()), 404, "no console file");
        refused(send(plain("/console/assets/novnc/package.json").GET()), 404, "no console file");
        refused(send(plain("/console/assets/app/%2e%2e/ConsoleRoutes.class").GET()), 404, "");
    }
}
