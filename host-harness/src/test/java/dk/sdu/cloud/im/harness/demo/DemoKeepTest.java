package dk.sdu.cloud.im.harness.demo;

import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.testdata.Kubectl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ucloud-im demo --keep}: the IM and its cluster stay up, with the job running, for kubectl to look at. */
class DemoKeepTest {
    private static final Pattern KUBECTL = Pattern.compile("keep: look with KUBECONFIG=(\\S+) kubectl get vm,vmi,pvc");
    private static final Pattern KEPT = Pattern.compile("kept the demo's files in (\\S+)");

    @TempDir
    Path temp;

    @Test
    void withKeepTheClusterStaysUpWithTheJobRunningUntilTheHoldEnds() throws IOException {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        AtomicReference<String> seen = new AtomicReference<>();
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Demo.Hold lookWithKubectl = () -> {
            Matcher kubeconfig = KUBECTL.matcher(text.toString());
            assertThat(kubeconfig.find()).as(text.toString()).isTrue();
            Kubectl kubectl = new Kubectl(Path.of(kubeconfig.group(1)), cache);
            seen.set(kubectl.ok("get", "vm,vmi,pvc", "-o", "name"));
        };
        Demo demo = new Demo(new Demo.Options(BuiltPlugins.copyTo(temp.resolve("plugins")), Duration.ofSeconds(60), true,
                new StandardClusterConnector(),
                Optional.of(Path.of(System.getProperty("im.test.agentBundle", "target/guest/vm-agent"))),
                lookWithKubectl), out);
        try {
            demo.run();
        } finally {
            Matcher kept = KEPT.matcher(text.toString());
            if (kept.find()) {
                delete(Path.of(kept.group(1)));
            }
        }

        assertThat(seen.get()).as(text.toString()).contains("virtualmachine.kubevirt.io/vm-4242-0")
                .contains("virtualmachineinstance.kubevirt.io/vm-4242-0")
                .contains("persistentvolumeclaim/vm-4242-0");
        assertThat(text.toString()).containsPattern("kubectl: KUBECONFIG=\\S+/kubeconfig kubectl get vm,vmi,pvc")
                .contains("keep: the IM and its cluster stay up with job 4242 RUNNING until interrupted (Ctrl-C)")
                .contains("keep: stopping the IM; the job stays RUNNING in the kept data directory")
                .doesNotContain("suspend: POST").doesNotContain("OK: job 4242");
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
