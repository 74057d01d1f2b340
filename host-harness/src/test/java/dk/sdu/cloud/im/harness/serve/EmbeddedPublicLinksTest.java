package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The issue's own test of public links in embedded mode: a guest stand-in serves HTTP and a websocket on port 8080 of
 * its VMI's loopback address; requests for the link's domain reach it through the IM's links' proxy, a websocket
 * upgrade too (echo both ways); an unknown domain is 404 and a suspended VM 503, both JSON.
 */
class EmbeddedPublicLinksTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String DOMAIN = "app-mysite.apps.example.org";

    @TempDir
    Path temp;
    private EmbeddedImFixture fixture;
    private ImServer server;
    private Javalin guest;

    @BeforeEach
    void start() {
        fixture = new EmbeddedImFixture(temp, config -> config
                .setYaml("services.compute.publicLinks", "{ enabled: true, prefix: 'app-', suffix: '.apps.example.org' }")
                .setYaml("harness.server.linkPort", "0"));
        server = fixture.startIm();
    }

    @AfterEach
    void stop() {
        if (guest != null) {
            guest.stop();
        }
        if (server != null) {
            server.close();
        }
        fixture.close();
    }

    @Test
    void aLinksDomainReachesTheGuestsWebServerOverHttpAndWebsocket() throws IOException {
        HarnessClient client = fixture.client(server);
        ObjectNode link = ExampleJobs.JSON.createObjectNode();
        link.put("id", "41");
        link.putObject("owner").put("createdBy", "alice#1234");
        link.putObject("specification").put("domain", DOMAIN).putObject("product")
                .put("id", "public-links").put("category", "public-links").put("provider", "k8s");
        client.post("/ucloud/k8s/ingresses", ExampleJobs.JSON.readTree(ExampleJobs.bulk(link)));
        ObjectNode job = fixture.job("5151");
        ((ObjectNode) job.get("specification")).putArray("resources").addObject()
                .put("type", "ingress").put("id", "41").put("port", 8080);
        client.post(EmbeddedImFixture.JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(job)));

        String address = await().atMost(STEP).until(() -> vmiAddress("5151"), a -> a != null);
        assertThat(address).startsWith("127.77.");
        guest = standIn(address);
        int proxy = server.linkPort().orElseThrow();

        String answer = exchange(proxy, "POST /echo?x=1 HTTP/1.1\r\nHost: " + DOMAIN + "\r\nContent-Length: 5\r\n"
                + "Content-Type: text/plain\r\n\r\nhello");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("Connection: close")
                .endsWith("POST hello via " + DOMAIN + " for 127.0.0.1");

        try (Socket socket = new Socket("127.0.0.1", proxy)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: " + DOMAIN + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101").contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(readTextFrame(in)).isEqualTo("welcome");
            writeMaskedTextFrame(out, "ping");
            assertThat(readTextFrame(in)).isEqualTo("echo: ping");
            writeMaskedTextFrame(out, "pong");
            assertThat(readTextFrame(in)).isEqualTo("echo: pong");
        }
    }

    @Test
    void anUnknownDomainIs404AndASuspendedMachine503() throws IOException {
        HarnessClient client = fixture.client(server);
        int proxy = server.linkPort().orElseThrow();

        String unknown = exchange(proxy, "GET / HTTP/1.1\r\nHost: app-nobody.apps.example.org:8890\r\n\r\n");
        assertThat(unknown).startsWith("HTTP/1.1 404").contains("application/json")
                .endsWith("{\"why\":\"no public link has the domain 'app-nobody.apps.example.org'\"}");
        String noHost = exchange(proxy, "GET / HTTP/1.0\r\n\r\n");
        assertThat(noHost).startsWith("HTTP/1.1 400").contains("names no Host");

        ObjectNode link = ExampleJobs.JSON.createObjectNode();
        link.put("id", "42");
        link.putObject("owner").put("createdBy", "alice#1234");
        link.putObject("specification").put("domain", DOMAIN).putObject("product")
                .put("id", "public-links").put("category", "public-links").put("provider", "k8s");
        client.post("/ucloud/k8s/ingresses", ExampleJobs.JSON.readTree(ExampleJobs.bulk(link)));
        String unbound = exchange(proxy, "GET / HTTP/1.1\r\nHost: " + DOMAIN + "\r\n\r\n");
        assertThat(unbound).startsWith("HTTP/1.1 404").contains("is not attached to a job");

        // A link without a port is refused at submission, naming the link, and nothing is created.
        ObjectNode portless = fixture.job("5353");
        ((ObjectNode) portless.get("specification")).putArray("resources").addObject()
                .put("type", "ingress").put("id", "42");
        assertThatThrownBy(() -> client.post(EmbeddedImFixture.JOBS,
                ExampleJobs.JSON.readTree(ExampleJobs.bulk(portless))))
                .isInstanceOfSatisfying(HarnessClientException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("The public link 42 (" + DOMAIN + ") is bound to no port: bind the link to the "
                        + "port of the virtual machine");
        assertThat(server.store().find("5353")).isEmpty();
        assertThat(fixture.vm("5353")).isNull();

        ObjectNode job = fixture.job("5252");
        ((ObjectNode) job.get("specification")).putArray("resources").addObject()
                .put("type", "ingress").put("id", "42").put("port", 8080);
        client.post(EmbeddedImFixture.JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(job)));
        await().atMost(STEP).until(() -> vmiAddress("5252"), a -> a != null);
        client.post(EmbeddedImFixture.JOBS + "/suspend", ExampleJobs.JSON.readTree(EmbeddedImFixture.wrapped(job)));
        await().atMost(STEP).until(() -> fixture.vmi("5252") == null);

        String suspended = exchange(proxy, "GET / HTTP/1.1\r\nHost: " + DOMAIN + "\r\n\r\n");
        assertThat(suspended).startsWith("HTTP/1.1 503").contains("application/json")
                .contains("the machine of job 5252 is not running");
    }

    @SuppressWarnings("unchecked")
    private String vmiAddress(String jobId) {
        GenericKubernetesResource vmi = fixture.vmi(jobId);
        if (vmi == null || !(vmi.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !"Running".equals(status.get("phase"))
                || !(status.get("interfaces") instanceof List<?> interfaces) || interfaces.isEmpty()) {
            return null;
        }
        return (String) ((Map<String, Object>) interfaces.get(0)).get("ipAddress");
    }

    /** The guest's web server: what it got back as text, and a websocket that greets and echoes. */
    private static Javalin standIn(String address) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = address;
            config.jetty.port = 8080;
            config.routes.post("/echo", ctx -> ctx.result(ctx.method() + " " + ctx.body() + " via "
                    + ctx.header("X-Forwarded-Host") + " for " + ctx.header("X-Forwarded-For")));
            config.routes.ws("/ws", ws -> {
                ws.onConnect(ctx -> ctx.send("welcome"));
                ws.onMessage(ctx -> ctx.send("echo: " + ctx.message()));
            });
        });
        app.start();
        return app;
    }

    /**
     * Sends a request on its own connection, asking for it to close after the answer, and reads the whole answer.
     */
    private static String exchange(int port, String request) throws IOException {
        String closing = request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(closing.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One unmasked text frame from the server (short: under 126 bytes). */
    private static String readTextFrame(InputStream in) throws IOException {
        int first = in.read();
        int length = in.read() & 0x7f;
        assertThat(first & 0x0f).as("a text frame").isEqualTo(1);
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** One masked text frame, as a client must send it. */
    private static void writeMaskedTextFrame(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        out.write(0x81);
        out.write(0x80 | payload.length);
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }
}
