package dk.sdu.cloud.im.harness.network.links;

import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicLinkStoreTest {
    @TempDir
    Path dir;

    @Test
    void linksSurviveAReopenAndDeletionsToo() {
        Path file = dir.resolve(PublicLinkStore.FILE_NAME);
        PublicLinkStore store = PublicLinkStore.open(file);
        PublicLink personal = new PublicLink("41", new ResourceOwner("alice#1", null), "app-mysite.apps.example.org");
        PublicLink project = new PublicLink("42", new ResourceOwner("alice#1", "p1"), "app-team.apps.example.org");

        store.putAll(List.of(personal, project));
        store.removeAll(List.of("41", "unknown"));

        PublicLinkStore reopened = PublicLinkStore.open(file);
        assertThat(reopened.find("41")).isEmpty();
        assertThat(reopened.find("42")).contains(project);
        assertThat(reopened.findByDomain("app-team.apps.example.org")).contains(project);
        assertThat(reopened.all()).containsExactly(project);
    }

    @Test
    void aFileThatIsNotTheStoresIsRefusedWithItsName() throws Exception {
        Path file = dir.resolve(PublicLinkStore.FILE_NAME);
        Files.writeString(file, "{not json");

        assertThatThrownBy(() -> PublicLinkStore.open(file)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the public links in " + file);
    }

    @Test
    void aNullEntryOrALinkWithoutItsDomainIsRefusedWithTheFilesName() throws Exception {
        Path file = dir.resolve(PublicLinkStore.FILE_NAME);
        Files.writeString(file, "[null]");
        assertThatThrownBy(() -> PublicLinkStore.open(file)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the public links in " + file)
                .hasMessageContaining("null where a link belongs");

        Files.writeString(file, "[{\"id\":\"41\",\"createdBy\":\"alice#1\"}]");
        assertThatThrownBy(() -> PublicLinkStore.open(file)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the public links in " + file)
                .hasMessageContaining("domain");
    }

    @Test
    void anInMemoryStoreWritesNoFile() {
        PublicLinkStore store = PublicLinkStore.inMemory();
        store.putAll(List.of(new PublicLink("41", new ResourceOwner("a", null), "app-abcde.x.org")));

        assertThat(store.find("41")).isPresent();
        assertThat(dir).isEmptyDirectory();
    }
}
