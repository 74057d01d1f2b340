package dk.sdu.cloud.im.harness.demo;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo's parts that need no IM: its inputs, its image and image server, its output. */
class DemoPartsTest {
    @TempDir
    Path temp;

    @Test
    void theDemoJobIsTheExampleWithOnlyTheImageReplaced() {
        ObjectNode demo = DemoInputs.job(URI.create("http://127.0.0.1:1234/x.qcow2"));
        ObjectNode example = ExampleJobs.vmJob();

        assertThat(demo.at("/status/resolvedApplication/invocation/tool/tool/description/image").asString())
                .isEqualTo("http://127.0.0.1:1234/x.qcow2");
        ((ObjectNode) demo.at("/status/resolvedApplication/invocation/tool/tool/description"))
                .set("image", example.at("/status/resolvedApplication/invocation/tool/tool/description/image"));
        assertThat(demo).isEqualTo(example);
    }

    @Test
    void theDemoConfigurationPointsEverythingIntoTheWorkspaceAndRunsEmbedded() {
        DemoWorkspace workspace = DemoWorkspace.create();
        try {
            JsonNode config = YAMLMapper.builder().build().readTree(DemoInputs.writeConfig(workspace,
                    java.util.Optional.of(Path.of("/opt/agent"))).toFile());
            String fs = workspace.fileSystem().toAbsolutePath().toString();

            assertThat(config.at("/services/fileSystem/mountPoint").asString()).isEqualTo(fs);
            assertThat(config.at("/services/fileSystem/trashStagingArea").asString()).isEqualTo(workspace.trash().toAbsolutePath().toString());
            assertThat(config.at("/services/compute/virtualMachines/storage/hostPath").asString()).isEqualTo(fs);
            assertThat(config.at("/harness/token").isMissingNode()).isTrue();
            assertThat(config.at("/harness/auth/mode").asString()).isEqualTo("jwt");
            // The harness plays Core; the IM checks its calls with the key it keeps in the data directory.
            assertThat(config.at("/harness/auth/publicKeyFolder").isMissingNode()).isTrue();
            assertThat(config.at("/harness/core/mode").asString()).isEqualTo("local");
            assertThat(config.at("/harness/core/drives/17").asString()).isEmpty();
            assertThat(workspace.root().resolve(config.at("/harness/dataDirectory").asString()))
                    .isEqualTo(workspace.dataDirectory());
            assertThat(config.at("/harness/kubernetes/mode").asString()).isEqualTo("embedded");
            assertThat(config.at("/harness/server/bindHost").asString()).isEqualTo("127.0.0.1");
            assertThat(config.at("/harness/server/port").asInt()).isZero();
            // The guests' agents (local processes) dial the port the IM binds (0: the one it gets), on loopback only.
            assertThat(config.at("/services/compute/virtualMachines/agentEndpoint").asString())
                    .isEqualTo("ws://127.0.0.1:0/api/vmagent");
            assertThat(config.at("/harness/server/routeBindAddress").asString()).isEqualTo("127.0.0.1");
            assertThat(config.at("/services/compute/virtualMachines/agentBundle").asString()).isEqualTo("/opt/agent");
            // Its image server is on loopback; exactly that address is allowed, nothing else beyond public ones.
            assertThat(config.at("/services/compute/virtualMachines/imageDownloads/allowedNetworks").toString())
                    .isEqualTo("[\"127.0.0.1/32\"]");
        } finally {
            workspace.delete();
        }
        assertThat(workspace.root()).doesNotExist();
    }

    @Test
    void withoutQemuImgTheDemoSaysWhatToInstall() {
        assertThatThrownBy(() -> DemoImage.make("qemu-img-is-not-here", temp.resolve("x.qcow2")))
                .isInstanceOf(DemoFailure.class)
                .hasMessageContaining("install qemu-utils (Debian/Ubuntu: sudo apt-get install qemu-utils)");
    }

    @Test
    void theImageIsMadeWithQemuImgAndServedOnLoopback() throws Exception {
        Path image = DemoImage.make(temp.resolve("demo.qcow2"));
        byte[] magic = {'Q', 'F', 'I', (byte) 0xfb};
        assertThat(Files.readAllBytes(image)).startsWith(magic);

        try (ImageServer server = ImageServer.serve(image, "demo.qcow2")) {
            assertThat(server.url().toString()).startsWith("http://127.0.0.1:").endsWith("/demo.qcow2");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(server.url()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(Files.readAllBytes(image));
            assertThat(http.send(HttpRequest.newBuilder(server.url().resolve("/other")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
            assertThat(server.downloads()).isEqualTo(1);
        }
    }

    @Test
    void outputLinesCarryTheTimeSinceTheStart() throws IOException {
        StringWriter text = new StringWriter();
        DemoOutput output = new DemoOutput(new PrintWriter(text));
        output.line("hello");
        output.block("a\nb");

        assertThat(text.toString()).matches("\\[ +\\d+\\.\\d\\ds] hello\n {11}a\n {11}b\n");
    }
}
