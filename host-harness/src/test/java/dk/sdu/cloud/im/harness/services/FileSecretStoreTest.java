package dk.sdu.cloud.im.harness.services;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSecretStoreTest {
    @TempDir
    Path temp;

    @Test
    void valuesSurviveANewStoreOverTheSameFile() {
        Path file = temp.resolve("state/secrets.json");
        FileSecretStore store = new FileSecretStore(file);
        assertThat(store.get("kubevirt/4242/token")).isEmpty();
        store.put("kubevirt/4242/token", "s3cr3t");
        store.put("kubevirt/4243/token", "other");
        store.put("kubevirt/4242/token", "replaced");
        store.delete("kubevirt/4243/token");
        store.delete("never-stored");

        FileSecretStore reopened = new FileSecretStore(file);
        assertThat(reopened.get("kubevirt/4242/token")).contains("replaced");
        assertThat(reopened.get("kubevirt/4243/token")).isEmpty();
    }

    @Test
    void theFileIsPrivateAndNoTemporaryFileIsLeft() throws IOException {
        Path file = temp.resolve("state/secrets.json");
        new FileSecretStore(file).put("k", "v");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void nothingIsWrittenUntilASecretIsStored() {
        Path file = temp.resolve("state/secrets.json");
        FileSecretStore store = new FileSecretStore(file);
        store.get("x");
        store.delete("x");
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void aDamagedFileIsAnErrorAndIsLeftAlone() throws IOException {
        Path file = Files.writeString(temp.resolve("secrets.json"), "[not, an, object]");
        FileSecretStore store = new FileSecretStore(file);

        assertThatThrownBy(() -> store.get("k")).hasMessageContaining(file.toString()).hasMessageContaining("left as it is");
        assertThatThrownBy(() -> store.put("k", "v")).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(file)).isEqualTo("[not, an, object]");
    }
}
