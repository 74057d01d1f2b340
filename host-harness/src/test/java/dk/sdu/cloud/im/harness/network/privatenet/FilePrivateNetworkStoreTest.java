package dk.sdu.cloud.im.harness.network.privatenet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilePrivateNetworkStoreTest {
    @TempDir
    Path dir;

    @Test
    void aNullEntryIsRefusedWithTheFilesName() throws Exception {
        Path file = dir.resolve(FilePrivateNetworkStore.FILE);
        Files.writeString(file, "[null]");

        assertThatThrownBy(() -> FilePrivateNetworkStore.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the private networks in " + file + " cannot be read")
                .hasMessageContaining("null where a network belongs");
    }

    @Test
    void aNetworkWithoutItsIdIsRefusedWithTheFilesName() throws Exception {
        Path file = dir.resolve(FilePrivateNetworkStore.FILE);
        Files.writeString(file, "[{\"createdBy\":\"alice#1\",\"name\":\"lab\",\"subdomain\":\"lab\"}]");

        assertThatThrownBy(() -> FilePrivateNetworkStore.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the private networks in " + file + " cannot be read")
                .hasMessageContaining("id");
    }

    @Test
    void aFileThatIsNotJsonIsRefused() throws Exception {
        Files.writeString(dir.resolve(FilePrivateNetworkStore.FILE), "{not json");

        assertThatThrownBy(() -> FilePrivateNetworkStore.open(dir)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void noFileIsNoNetworks() {
        assertThat(FilePrivateNetworkStore.open(dir).find("1")).isEmpty();
    }
}
