package dk.sdu.cloud.im.agent.guest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GuestDescriptionTest {

    @TempDir
    Path root;

    @Test
    void theOsIsThePrettyNameOfOsReleaseAndASimulatedGuestHasNoAddress() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "NAME=\"Ubuntu\"\nPRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nID=ubuntu\n");
        GuestDescription description = GuestDescription.of(GuestLayout.simulated(root));
        assertThat(description.os()).contains("Ubuntu 24.04.1 LTS");
        assertThat(description.address()).isEmpty();
    }

    @Test
    void theFallbackFileAndMissingOrEmptyNamesAreRead() throws Exception {
        assertThat(GuestDescription.of(GuestLayout.simulated(root)).os()).isEmpty();
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "PRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\n");
        assertThat(GuestDescription.of(GuestLayout.simulated(root)).os()).contains("Debian GNU/Linux 12 (bookworm)");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"\"\n");
        assertThat(GuestDescription.prettyName(root.resolve("etc/os-release"))).isEmpty();
    }
}
