package dk.sdu.cloud.im.harness.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/ucloud-im's class-data sharing, run for real on an installation whose lib/ holds a stand-in
 * {@code ImCommand} that prints its arguments: the first run of a command records, the next puts the
 * recording in place and maps it, a cut-short recording is deleted rather than mapped, and off means none.
 */
class LauncherClassDataSharingTest {

    @TempDir
    Path temp;

    private Path home;
    private Path cds;

    @BeforeEach
    void installation() throws Exception {
        home = LauncherInstallation.create(temp, """
                package dk.sdu.cloud.im.harness.cli;
                public class ImCommand {
                    public static void main(String[] args) {
                        System.out.println("ran " + String.join(" ", args));
                    }
                }
                """);
        cds = home.resolve("cds");
    }

    private String run(Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(home.resolve("bin/ucloud-im").toString()),
                Stream.of(args)).toList()).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("UCLOUD_IM_CDS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private List<String> cdsFiles() throws IOException {
        return LauncherInstallation.files(cds);
    }

    @Test
    void theFirstRunRecordsAndTheNextUsesTheArchive() throws Exception {
        assertThat(run(Map.of(), "plugins", "--config", "x.yaml")).isEqualTo("ran plugins --config x.yaml\n");
        assertThat(cdsFiles()).singleElement().asString().matches("\\.plugins-\\d+\\.\\d+\\.recording");

        assertThat(run(Map.of(), "plugins", "--config", "x.yaml")).isEqualTo("ran plugins --config x.yaml\n");
        assertThat(cdsFiles()).singleElement().asString().matches("plugins-\\d+\\.jsa");

        String mapped = run(Map.of("JAVA_OPTS", "-Xlog:class+load=info:stdout"), "plugins");
        assertThat(mapped).as("the stand-in comes from the archive")
                .containsPattern("dk\\.sdu\\.cloud\\.im\\.harness\\.cli\\.ImCommand source: shared objects file");
    }

    @Test
    void anArchiveIsMappedWhereItWasWrittenForNotRelocated() throws Exception {
        run(Map.of(), "plugins");
        run(Map.of(), "plugins");
        assertThat(cdsFiles()).singleElement().asString().endsWith(".jsa");

        assertThat(run(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "plugins"))
                .containsPattern("ArchiveRelocationMode\\s+= 0 ");
    }

    @Test
    void serveDefersTheOptimizingCompilerAndShortCommandsUseTheQuickOneOnly() throws Exception {
        assertThat(run(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal", "UCLOUD_IM_CDS", "off"), "serve", "--help"))
                .containsPattern("Tier4InvocationThreshold\\s+= 50000 ")
                .containsPattern("TieredStopAtLevel\\s+= 4 ");
        assertThat(run(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal", "UCLOUD_IM_CDS", "off"), "config", "check"))
                .containsPattern("Tier4InvocationThreshold\\s+= 5000 ")
                .containsPattern("TieredStopAtLevel\\s+= 1 ");
    }

    @Test
    void serveReadsHttpResponsesInLargePiecesAndShortCommandsKeepTheDefault() throws Exception {
        assertThat(run(Map.of("JAVA_OPTS", "-XshowSettings:properties", "UCLOUD_IM_CDS", "off"), "serve", "--help"))
                .contains("jdk.httpclient.bufsize = 262144");
        assertThat(run(Map.of("JAVA_OPTS", "-XshowSettings:properties", "UCLOUD_IM_CDS", "off"), "config", "check"))
                .doesNotContain("jdk.httpclient.bufsize");
    }

    @Test
    void aCutShortRecordingIsDeletedNotMapped() throws Exception {
        run(Map.of(), "config", "check");
        String recording = cdsFiles().get(0);
        Path whole = cds.resolve(recording);
        // A recording of a process that is gone, cut after its header: mapping it would crash the JVM.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(30, TimeUnit.SECONDS);
        String name = recording.substring(0, recording.lastIndexOf('.', recording.lastIndexOf('.') - 1));
        Path cut = cds.resolve(name + "." + gone.pid() + ".recording");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, 4096));
        Files.delete(whole);

        assertThat(run(Map.of(), "config", "check")).isEqualTo("ran config check\n");

        assertThat(cdsFiles()).as("the cut one is gone; this run recorded anew").singleElement().asString()
                .matches("\\.config-\\d+\\.\\d+\\.recording").isNotEqualTo(cut.getFileName().toString());
    }

    @Test
    void offAndOtherCommandsRecordNothing() throws Exception {
        assertThat(run(Map.of("UCLOUD_IM_CDS", "off"), "serve", "--help")).isEqualTo("ran serve --help\n");
        assertThat(run(Map.of(), "render", "--help")).isEqualTo("ran render --help\n");

        assertThat(cdsFiles()).isEmpty();
    }

    @Test
    void anotherFolderIsUsedWhenNamed() throws Exception {
        Path elsewhere = temp.resolve("cache");
        run(Map.of("UCLOUD_IM_CDS", elsewhere.toString()), "plugins");

        assertThat(cdsFiles()).isEmpty();
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).singleElement().asString()
                    .startsWith(".plugins-");
        }
    }
}
