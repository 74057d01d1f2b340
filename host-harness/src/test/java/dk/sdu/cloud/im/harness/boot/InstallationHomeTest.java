package dk.sdu.cloud.im.harness.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class InstallationHomeTest {
    @TempDir
    Path temp;

    @Test
    void thePropertyWins() {
        Path home = temp.resolve("opt/ucloud-im");
        assertThat(InstallationHome.resolve(Optional.of(home.toString()),
                Optional.of(temp.resolve("elsewhere/lib/im-host-harness.jar")), temp).home()).isEqualTo(home);
    }

    @Test
    void withoutThePropertyTheFolderAboveLibHoldingTheHostJar() {
        Path jar = temp.resolve("ucloud-im/lib/im-host-harness-0.1.0.jar");
        assertThat(InstallationHome.resolve(Optional.empty(), Optional.of(jar), temp.resolve("cwd")).home())
                .isEqualTo(temp.resolve("ucloud-im"));
        assertThat(InstallationHome.resolve(Optional.of("  "), Optional.of(jar), temp.resolve("cwd")).home())
                .isEqualTo(temp.resolve("ucloud-im"));
    }

    @Test
    void fromABuildsClassesTheInstallationTheBuildMadeBesideThem() throws IOException {
        Path classes = Files.createDirectories(temp.resolve("target/classes"));
        Path cwd = temp.resolve("cwd");
        assertThat(InstallationHome.resolve(Optional.empty(), Optional.of(classes), cwd).home()).isEqualTo(cwd);
        Files.createDirectories(temp.resolve("target/ucloud-im"));
        assertThat(InstallationHome.resolve(Optional.empty(), Optional.of(classes), cwd).home())
                .isEqualTo(temp.resolve("target/ucloud-im"));
    }

    @Test
    void otherwiseTheWorkingDirectoryMadeAbsolute() {
        assertThat(InstallationHome.resolve(Optional.empty(), Optional.empty(), Path.of("")).home())
                .isEqualTo(Path.of("").toAbsolutePath());
        assertThat(InstallationHome.resolve(Optional.empty(), Optional.of(temp.resolve("some.jar")), Path.of("x")).home())
                .isEqualTo(Path.of("x").toAbsolutePath());
    }
}
