package dk.sdu.cloud.im.harness.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/ucloud-im on Java 25 or newer, run for real with such a JDK on an installation whose lib/ holds a stand-in
 * {@code ImCommand} (it prints its arguments, after a call of {@code sun.misc.Unsafe}'s memory access, as Guava
 * makes): the first run of a command records its training, the next makes the AOT cache from it and maps it, a
 * training cut short is dropped, the command's output stays its own, and Java's warning about Unsafe is not
 * printed.
 *
 * <p>Needs a JDK 25 or newer besides the one running the tests: the one named by the system property
 * {@value #JDK_PROPERTY}, else the newest under {@code /usr/lib/jvm} (where Debian's and Temurin's packages put
 * them). Without one, the tests are skipped and say so.
 */
class LauncherAotCacheTest {
    private static final String JDK_PROPERTY = "im.test.jdk25";
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private static Optional<Path> jdk;

    @TempDir
    Path temp;

    private Path home;
    private Path cds;

    @BeforeAll
    static void findJdk() throws IOException {
        String named = System.getProperty(JDK_PROPERTY);
        if (named != null && !named.isBlank()) {
            jdk = Optional.of(Path.of(named)).filter(home -> major(home) >= 25);
            return;
        }
        Path packages = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(packages)) {
            jdk = Optional.empty();
            return;
        }
        try (Stream<Path> homes = Files.list(packages)) {
            jdk = homes.filter(home -> !Files.isSymbolicLink(home) && Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> major(home) >= 25).max(Comparator.comparingInt(LauncherAotCacheTest::major));
        }
    }

    private static int major(Path home) {
        try {
            Matcher version = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @BeforeEach
    void installation() throws Exception {
        assumeTrue(jdk.isPresent(), "no JDK 25 or newer under /usr/lib/jvm or in -D" + JDK_PROPERTY);
        home = LauncherInstallation.create(temp, """
                package dk.sdu.cloud.im.harness.cli;
                public class ImCommand {
                    public static void main(String[] args) throws Exception {
                        java.lang.reflect.Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                        field.setAccessible(true);
                        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) field.get(null);
                        unsafe.objectFieldOffset(ImCommand.class.getDeclaredField("offset"));
                        System.out.println("ran " + String.join(" ", args));
                    }
                    long offset;
                }
                """);
        cds = home.resolve("cds");
    }

    /** What one run printed: its standard output and its standard error, apart. */
    private record Printed(String out, String err) {
    }

    private Printed run(Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(home.resolve("bin/ucloud-im").toString()),
                Stream.of(args)).toList());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("UCLOUD_IM_CDS");
        builder.environment().put("JAVA_HOME", jdk.orElseThrow().toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Printed printed = new Printed(out, err.get(120, TimeUnit.SECONDS));
        assertThat(process.exitValue()).as(printed.toString()).isZero();
        return printed;
    }

    private List<String> cdsFiles() throws IOException {
        return LauncherInstallation.files(cds);
    }

    @Test
    void theFirstRunRecordsItsTrainingTheNextMakesTheCacheAndMapsIt() throws Exception {
        Printed first = run(Map.of(), "plugins", "--config", "x.yaml");
        assertThat(first.out()).as("the command's output is its own").isEqualTo("ran plugins --config x.yaml\n");
        assertThat(cdsFiles()).singleElement().asString().matches("\\.plugins-\\d+\\.\\d+\\.aotconf");

        Printed second = run(Map.of(), "plugins", "--config", "x.yaml");
        assertThat(second.out()).isEqualTo("ran plugins --config x.yaml\n");
        assertThat(second.err()).isEmpty();
        assertThat(cdsFiles()).as("the training is gone once the cache is made").singleElement().asString()
                .matches("plugins-\\d+\\.aot");

        Printed mapped = run(Map.of("JAVA_OPTS", "-Xlog:class+load=info:stdout"), "plugins");
        assertThat(mapped.out()).as("the stand-in comes from the cache")
                .containsPattern("dk\\.sdu\\.cloud\\.im\\.harness\\.cli\\.ImCommand source: shared objects file");
    }

    @Test
    void aTrainingCutShortIsDroppedAndRecordedAgain() throws Exception {
        run(Map.of(), "config", "check");
        String training = cdsFiles().get(0);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(30, TimeUnit.SECONDS);
        String name = training.substring(0, training.lastIndexOf('.', training.lastIndexOf('.') - 1));
        Path cut = cds.resolve(name + "." + gone.pid() + ".aotconf");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(cds.resolve(training)), 4096));
        Files.delete(cds.resolve(training));

        assertThat(run(Map.of(), "config", "check").out()).isEqualTo("ran config check\n");

        assertThat(cdsFiles()).as("no cache from the cut one, which is gone; this run recorded anew")
                .singleElement().asString().matches("\\.config-\\d+\\.\\d+\\.aotconf")
                .isNotEqualTo(cut.getFileName().toString());
    }

    @Test
    void javasWarningAboutUnsafesMemoryAccessIsNotPrinted() throws Exception {
        Printed printed = run(Map.of("UCLOUD_IM_CDS", "off"), "render", "--help");

        assertThat(printed.out()).isEqualTo("ran render --help\n");
        assertThat(printed.err()).doesNotContain("sun.misc.Unsafe");
    }

    @Test
    void offRecordsNothing() throws Exception {
        assertThat(run(Map.of("UCLOUD_IM_CDS", "off"), "serve", "--help").out()).isEqualTo("ran serve --help\n");

        assertThat(cdsFiles()).isEmpty();
    }
}
