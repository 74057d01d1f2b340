package dk.sdu.cloud.im.kubevirt.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent bundle copied into {@code ucloud-exe}: when missing or different, atomically, old versions kept. */
class AgentBundleInstallerTest {
    @TempDir
    Path root;
    private final AgentBundleInstaller installer = new AgentBundleInstaller();

    @Test
    void aMissingBundleChangesNothing() {
        Path executables = root.resolve("mnt/ucloud-exe");
        assertThat(installer.install(root.resolve("installation/guest/vm-agent"), executables))
                .isEqualTo(AgentBundleInstaller.Outcome.NO_BUNDLE);
        assertThat(executables).doesNotExist();
    }

    @Test
    void theLauncherRunsTheBundlesOwnLauncherFromItsVersionFolder() throws Exception {
        Path bundle = bundle("one", "1");
        Path executables = root.resolve("mnt/ucloud-exe");

        assertThat(installer.install(bundle, executables)).isEqualTo(AgentBundleInstaller.Outcome.INSTALLED);

        String version = AgentBundleInstaller.VERSION_PREFIX + AgentBundleInstaller.hash(bundle);
        Path launcher = executables.resolve("vmagent");
        assertThat(Files.isExecutable(launcher)).isTrue();
        assertThat(AgentBundleInstaller.launchedVersion(launcher)).contains(version);
        assertThat(executables.resolve(version).resolve("vmagent.d/lib/agent.jar")).hasContent("jar one");
        assertThat(Files.isExecutable(executables.resolve(version).resolve("vmagent"))).isTrue();
        assertThat(Files.readSymbolicLink(executables.resolve(version).resolve("vmagent.d/runtime/legal")))
                .isEqualTo(Path.of("../lib"));
        // The bundle's launcher finds its files from its own path: it must run as the version folder's.
        assertThat(run(launcher, "a", "b")).isEqualTo("one " + executables.resolve(version) + " a b");
        try (Stream<Path> names = Files.list(executables)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("vmagent", version);
        }
    }

    @Test
    void theSameBundleAgainWritesNothing() throws IOException {
        Path bundle = bundle("one", "1");
        Path executables = root.resolve("mnt/ucloud-exe");
        installer.install(bundle, executables);
        Path launcher = executables.resolve("vmagent");
        Files.setLastModifiedTime(launcher, java.nio.file.attribute.FileTime.fromMillis(0));

        assertThat(installer.install(bundle, executables)).isEqualTo(AgentBundleInstaller.Outcome.UP_TO_DATE);
        assertThat(Files.getLastModifiedTime(launcher).toMillis()).isZero();
    }

    @Test
    void aDifferentBundleKeepsTheOldVersionUntilTheLauncherPointsElsewhere() throws Exception {
        Path executables = root.resolve("mnt/ucloud-exe");
        Path first = bundle("one", "1");
        installer.install(first, executables);
        String firstVersion = AgentBundleInstaller.VERSION_PREFIX + AgentBundleInstaller.hash(first);
        List<String> firstFiles = files(executables.resolve(firstVersion));

        Path second = bundle("two", "2");
        assertThat(installer.install(second, executables)).isEqualTo(AgentBundleInstaller.Outcome.INSTALLED);
        String secondVersion = AgentBundleInstaller.VERSION_PREFIX + AgentBundleInstaller.hash(second);
        assertThat(secondVersion).isNotEqualTo(firstVersion);
        assertThat(AgentBundleInstaller.launchedVersion(executables.resolve("vmagent"))).contains(secondVersion);
        assertThat(run(executables.resolve("vmagent"))).startsWith("two ");
        // Guests may still run the first version: it stays whole.
        assertThat(files(executables.resolve(firstVersion))).isEqualTo(firstFiles);
        assertThat(executables.resolve(firstVersion).resolve("vmagent.d/lib/agent.jar")).hasContent("jar one");

        Path third = bundle("three", "3");
        installer.install(third, executables);
        String thirdVersion = AgentBundleInstaller.VERSION_PREFIX + AgentBundleInstaller.hash(third);
        assertThat(executables.resolve(firstVersion)).as("named by no launcher any more").doesNotExist();
        assertThat(executables.resolve(secondVersion)).as("the launcher before").isDirectory();
        assertThat(AgentBundleInstaller.launchedVersion(executables.resolve("vmagent"))).contains(thirdVersion);
    }

    @Test
    void anExecutableBitOrOneByteMakesAnotherVersion() throws IOException {
        Path bundle = bundle("one", "1");
        String before = AgentBundleInstaller.hash(bundle);
        Files.setPosixFilePermissions(bundle.resolve("vmagent.d/lib/agent.jar"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        String executable = AgentBundleInstaller.hash(bundle);
        Files.writeString(bundle.resolve("vmagent.d/lib/agent.jar"), "jar onf");
        assertThat(List.of(before, executable, AgentBundleInstaller.hash(bundle))).doesNotHaveDuplicates();
    }

    @Test
    void leftoversOfACutOffInstallAreRemovedAndAMissingVersionFolderIsCopiedAgain() throws IOException {
        Path bundle = bundle("one", "1");
        Path executables = root.resolve("mnt/ucloud-exe");
        installer.install(bundle, executables);
        String version = AgentBundleInstaller.VERSION_PREFIX + AgentBundleInstaller.hash(bundle);
        Files.createDirectories(executables.resolve(".vmagent-cutoff/vmagent.d"));
        deleteTree(executables.resolve(version));

        assertThat(installer.install(bundle, executables)).isEqualTo(AgentBundleInstaller.Outcome.INSTALLED);
        assertThat(executables.resolve(".vmagent-cutoff")).doesNotExist();
        assertThat(executables.resolve(version).resolve("vmagent")).exists();
    }

    /** A bundle shaped like vm-agent's: a launcher that says who it is and where it runs from. */
    private Path bundle(String name, String variant) throws IOException {
        Path bundle = Files.createDirectories(root.resolve("bundles/" + name + "-" + variant));
        Path launcher = bundle.resolve("vmagent");
        Files.writeString(launcher, "#!/bin/sh\necho " + name + " \"$(dirname \"$0\")\" \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(bundle.resolve("vmagent.d/lib"));
        Files.writeString(bundle.resolve("vmagent.d/lib/agent.jar"), "jar " + name);
        Files.createDirectories(bundle.resolve("vmagent.d/runtime/bin"));
        Files.writeString(bundle.resolve("vmagent.d/runtime/bin/java"), "java");
        Files.createSymbolicLink(bundle.resolve("vmagent.d/runtime/legal"), Path.of("../lib"));
        return bundle;
    }

    private static String run(Path launcher, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.map(p -> folder.relativize(p).toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
