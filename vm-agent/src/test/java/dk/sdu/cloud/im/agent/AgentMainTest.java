package dk.sdu.cloud.im.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and the configuration checks: a bad configuration exits 2, names what is wrong, never a token. */
class AgentMainTest {
    private static final String TOKEN = "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OTAxMjM0NQ";

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AgentMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void config(String json) throws Exception {
        var file = root.resolve("etc/ucloud-agent/agent.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    @Test
    void helpAndVersion() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: vmagent [--simulated-guest <root>]");
        out.reset();
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("vmagent ");
    }

    @Test
    void unknownArgumentsAreAUsageError() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unexpected arguments: --frobnicate").contains("Usage:");
        err.reset();
        assertThat(run("--simulated-guest")).isEqualTo(2);
    }

    @Test
    void aMissingConfigurationIsNamed() {
        assertThat(run("--simulated-guest", root.toString())).isEqualTo(2);
        assertThat(err()).contains("agent.json: no such file");
    }

    @Test
    void everyProblemIsNamedByKey_noTokenIsShown() throws Exception {
        config("{\"endpoint\": \"http://im:42000/api/vmagent\", \"agentToken\": \"\", \"serverToken\": 42, \"mountsFile\": \"relative\","
                + " \"jobId\": \"" + TOKEN + " with space\"}");
        assertThat(run("--simulated-guest", root.toString())).isEqualTo(2);
        assertThat(err())
                .contains("endpoint: must be a ws:// or wss:// URL with a host")
                .contains("agentToken: must not be empty")
                .contains("serverToken: must be a string")
                .contains("mountsFile: must be an absolute path")
                .contains("jobId: must be printable ASCII without spaces")
                .doesNotContain(TOKEN);
    }

    @Test
    void missingKeysAreNamed() throws Exception {
        config("{\"endpoint\": \"ws://im:42000/api/vmagent\"}");
        assertThat(run("--simulated-guest", root.toString())).isEqualTo(2);
        assertThat(err()).contains("jobId: missing").contains("agentToken: missing").contains("serverToken: missing");
    }

    @Test
    void brokenJsonSaysWhereButDoesNotQuoteTheFile() throws Exception {
        config("{\"endpoint\": \"ws://im/a\", \"jobId\": \"1\", \"agentToken\": " + TOKEN + ", \"serverToken\": \"x\"}");
        assertThat(run("--simulated-guest", root.toString())).isEqualTo(2);
        assertThat(err()).contains("not valid JSON (line 1").doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 10));
    }

    @Test
    void aMountsFileOutsideTheSimulatedRootIsRefused() throws Exception {
        config("{\"endpoint\": \"ws://im/a\", \"jobId\": \"1\", \"agentToken\": \"a\", \"serverToken\": \"b\", \"mountsFile\": \"/../../etc/passwd\"}");
        assertThat(run("--simulated-guest", root.toString())).isEqualTo(2);
        assertThat(err()).contains("leaves the simulated root");
    }
}
