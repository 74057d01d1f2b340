package dk.sdu.cloud.im.harness.fs;

import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfiguredProviderFileSystemTest {
    private final ConfiguredProviderFileSystem fs =
            new ConfiguredProviderFileSystem(Path.of("/mnt/ucloud"), Path.of("/mnt/ucloud/trash"));

    private static Job job(String id, String user, String project) {
        return new Job(id, 0L, new JobOwner(user, project), null, null, List.of());
    }

    @Test
    void aPersonalJobLivesInTheUsersHome() {
        assertThat(fs.jobFolder(job("4242", "alice#1234", null))).isEqualTo("home/alice#1234/Jobs/VirtualMachines/4242");
        assertThat(fs.resolve(fs.jobFolder(job("4242", "alice#1234", "")))).isEqualTo(
                Path.of("/mnt/ucloud/home/alice#1234/Jobs/VirtualMachines/4242"));
    }

    @Test
    void aProjectJobLivesInTheMembersFiles() {
        assertThat(fs.jobFolder(job("77", "bob#1", "p-123")))
                .isEqualTo("projects/p-123/Members' Files/bob#1/Jobs/VirtualMachines/77");
    }

    @Test
    void namesThatWouldLeaveTheFolderAreRejected() {
        assertThatThrownBy(() -> fs.jobFolder(job("..", "alice", null))).hasMessageContaining("job id");
        assertThatThrownBy(() -> fs.jobFolder(job("1", "a/b", null))).hasMessageContaining("owner.createdBy");
        assertThatThrownBy(() -> fs.jobFolder(job("1", "alice", "../x"))).hasMessageContaining("owner.project");
        assertThatThrownBy(() -> fs.jobFolder(job("", "alice", null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fs.jobFolder(new Job("1", 0L, null, null, null, List.of()))).hasMessageContaining("no owner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\n", "\r", "\t", "\u001f", "\u007f", "\u0085", "\u009f"})
    void namesWithControlCharactersAreRejected(String control) {
        assertThatThrownBy(() -> fs.jobFolder(job("1", "alice" + control, null)))
                .hasMessageContaining("owner.createdBy").hasMessageContaining("control characters")
                .hasMessageNotContaining(control);
        assertThatThrownBy(() -> fs.jobFolder(job("1", "alice", "p" + control)))
                .hasMessageContaining("owner.project").hasMessageContaining("control characters");
        assertThatThrownBy(() -> fs.jobFolder(job("1" + control, "alice", null)))
                .hasMessageContaining("job id").hasMessageContaining("control characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\n", "\u001b", "\u007f", "\u0085"})
    void ucloudPathsWithControlCharactersAreRejected(String control) {
        assertThatThrownBy(() -> fs.resolveUCloudPath("/17/Da" + control + "ta"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters")
                .hasMessageNotContaining(control);
    }

    @Test
    void namesLongerThanAFileNameAreRejected() {
        assertThatThrownBy(() -> fs.jobFolder(job("1", "a".repeat(FolderNames.MAX_BYTES + 1), null)))
                .hasMessageContaining("owner.createdBy").hasMessageContaining("longer than");
        assertThat(fs.jobFolder(job("1", "a".repeat(FolderNames.MAX_BYTES), null))).startsWith("home/aaa");
    }

    @Test
    void ucloudPathsMapToCollections() {
        assertThat(fs.resolveUCloudPath("/17/Data")).isEqualTo("collections/17/Data");
        assertThat(fs.resolveUCloudPath("/17")).isEqualTo("collections/17");
        assertThat(fs.resolveUCloudPath("/17/My Data/run 1")).isEqualTo("collections/17/My Data/run 1");
    }

    @Test
    void invalidUCloudPathsAreRejected() {
        for (String path : List.of("17/Data", "/", "//Data", "/17/../18", "/17//Data", "/17/Data/", "/17/./Data", "")) {
            assertThatThrownBy(() -> fs.resolveUCloudPath(path)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void pathsMustBeAbsolute() {
        assertThatThrownBy(() -> new ConfiguredProviderFileSystem(Path.of("mnt"), Path.of("/trash")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
