package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.cli.ImCommand;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code ucloud-im serve} as its own process, ended by SIGTERM as an init system ends it: the shutdown hook
 * runs the steps in order, and what the IM recorded is on disk afterwards.
 */
class ServeProcessTest {
    private static final Pattern SERVING = Pattern.compile("ucloud-im serves provider 'k8s' on http://127\\.0\\.0\\.1:(\\d+) ");

    @TempDir
    Path temp;

    private Process process;
    private Path stderr;

    @AfterEach
    void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void startServe(Path config, Path plugins) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // stderr goes to a file: reading a pipe while the process exits can lose its last lines.
        process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ImCommand.class.getName(), "serve", "--config", config.toString(), "--plugins", plugins.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
    }

    private List<String> log() {
        try {
            return Files.exists(stderr) ? Files.readAllLines(stderr) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int indexOf(String text) {
        List<String> log = log();
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void sigtermShutsTheImDownInOrderAndKeepsWhatItRecorded() throws Exception {
        Path plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        ScriptedComputePlugin.build(plugins);
        Path data = temp.resolve("data");
        Path config = ServeConfigs.embedded(data).writeTo(temp.resolve("config.yaml"));
        stderr = temp.resolve("serve.log");

        startServe(config, plugins);
        await().atMost(Duration.ofSeconds(120)).until(() -> !process.isAlive() || log().stream().anyMatch(l -> SERVING.matcher(l).find()));
        assertThat(process.isAlive()).as("serve is running; its log:\n" + String.join("\n", log())).isTrue();
        Matcher serving = log().stream().map(SERVING::matcher).filter(Matcher::find).findFirst().orElseThrow();
        URI url = URI.create("http://127.0.0.1:" + serving.group(1));
        assertThat(log()).as("the ready line says how long serve took to serve (scripts/bench startup reads it)")
                .anyMatch(l -> SERVING.matcher(l).find() && l.matches(".*; serving after \\d+ ms$"));
        assertThat(log()).anyMatch(l -> l.contains("EMBEDDED MODE - A SIMULATION"));

        HarnessClient client = new HarnessClient(url, ServeConfigs.credentials(), Duration.ofSeconds(10));
        client.post("/ucloud/k8s/jobs", JsonMapper.builder().build().readTree(
                "{\"items\": [" + ScriptedComputePlugin.job("p-1", "in a process") + "]}"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(client.get("/harness/jobs/p-1").path("state").asString()).isEqualTo("RUNNING"));

        // A second IM on the same data directory is refused: the job store is the running one's.
        ServeException refused = catchThrowableOfType(ServeException.class, () -> ImServer.start(
                new HostOptions(ServeConfigs.embedded(data).writeTo(temp.resolve("second.yaml")), plugins),
                new StandardClusterConnector()).close());
        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).endsWith("(is another ucloud-im serve using the same harness.dataDirectory?)");

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("serve ended after SIGTERM").isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        List<Integer> order = List.of(indexOf("Shutdown: provider API done"), indexOf("Shutdown: job driver done"),
                indexOf("Shutdown: compute backends done"),
                indexOf("Shutdown: metrics done"), indexOf("Shutdown: job store done"),
                indexOf("Shutdown: embedded Kubernetes done"), indexOf("Shutdown: plugins done"));
        assertThat(order).as("shutdown steps in the log:\n" + String.join("\n", log())).doesNotContain(-1).isSorted();

        try (H2JobStore store = H2JobStore.open(data.resolve(ImServer.JOB_STORE), Clock.systemUTC())) {
            assertThat(store.find("p-1")).get().extracting(s -> s.state()).isEqualTo(JobState.RUNNING);
            assertThat(store.updates("p-1")).hasSize(2);
        }
    }
}
