package dk.sdu.cloud.im.harness.services;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectorySshKeyDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void aJobsKeysAreTheLinesOfItsFile() throws IOException {
        Files.writeString(temp.resolve("4242.pub"), """
                # alice's keys
                ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop

                  ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQExample alice@desktop \s
                """);
        DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(temp);

        assertThat(keys.authorizedKeys("4242")).containsExactly(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop",
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQExample alice@desktop");
    }

    @Test
    void aJobWithoutAFileHasNoKeys() {
        assertThat(new DirectorySshKeyDirectory(temp.resolve("absent")).authorizedKeys("1")).isEmpty();
    }

    @Test
    void jobIdsThatAreNotFileNamesAreRejected() {
        DirectorySshKeyDirectory keys = new DirectorySshKeyDirectory(temp);
        assertThatThrownBy(() -> keys.authorizedKeys("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.authorizedKeys("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.authorizedKeys("")).isInstanceOf(IllegalArgumentException.class);
    }
}
