package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.manifest.JobFolderFile;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job folder's files: {@link JobFolders} before a start, {@link DiskTrash} at the end. */
class JobFilesTest {

    @TempDir
    Path root;
    TestFileSystem fileSystem;
    VmJobPlan plan;
    Path jobFolder;

    @BeforeEach
    void setUp() {
        fileSystem = new TestFileSystem(root);
        ExampleProvider example = ExampleProvider.load(ExampleProvider.HOSTPATH);
        plan = new ExampleProvider(example.config(), example.settings(), example.ssh(), example.catalog(),
                example.storage(), fileSystem, "ns").admission().admit(ExampleJobs.vmJob());
        jobFolder = root.resolve(plan.jobFolder());
    }

    JobFolderFile mounts(String content) {
        return new JobFolderFile(plan.jobFolder() + "/config/mounts.yml", content);
    }

    @Test
    void theFoldersOfTheUcloudMountsAndTheMountsFileAreMade() throws Exception {
        new JobFolders(fileSystem).prepare(plan, mounts("mounts: []\n"));

        assertThat(jobFolder.resolve("config")).isDirectory();
        assertThat(jobFolder.resolve("work")).isDirectory();
        assertThat(root.resolve("ucloud-exe")).isDirectory();
        assertThat(jobFolder.resolve("config/mounts.yml")).hasContent("mounts: []");
        try (var files = Files.list(jobFolder.resolve("config"))) {
            assertThat(files).hasSize(1);   // no temporary file left
        }
    }

    @Test
    void theMountsFileIsWrittenOnlyWhenItChanges() throws Exception {
        JobFolders folders = new JobFolders(fileSystem);
        folders.prepare(plan, mounts("mounts: []\n"));
        Path file = jobFolder.resolve("config/mounts.yml");
        FileTime old = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(file, old);

        folders.prepare(plan, mounts("mounts: []\n"));
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);

        folders.prepare(plan, mounts("mounts:\n- tag: ucloud-r0\n"));
        assertThat(file).hasContent("mounts:\n- tag: ucloud-r0");
    }

    @Test
    void aLinkInTheJobFolderIsRefusedAndNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createDirectories(jobFolder);
        Files.createSymbolicLink(jobFolder.resolve("config"), elsewhere);

        assertThatThrownBy(() -> new JobFolders(fileSystem).prepare(plan, mounts("mounts: []\n")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("job " + plan.jobId()).hasMessageContaining("is a symbolic link");
        assertThat(elsewhere.resolve("mounts.yml")).doesNotExist();
    }

    @Test
    void aTerminatedJobsDiskGoesToTheTrashUnderItsOwnName() throws Exception {
        DiskTrash trash = new DiskTrash(fileSystem, new SecureRandom());
        Files.createDirectories(jobFolder);
        Files.writeString(jobFolder.resolve("disk.img"), "disk");

        Path moved = trash.moveDisk("4242", plan.jobFolder()).orElseThrow();

        assertThat(moved.getParent()).isEqualTo(fileSystem.trashStagingArea());
        assertThat(moved.getFileName().toString()).matches("virtual-machine-job-4242-disk-[0-9a-f]{12}\\.img");
        assertThat(moved).hasContent("disk");
        assertThat(jobFolder.resolve("disk.img")).doesNotExist();
        assertThat(trash.moveDisk("4242", plan.jobFolder())).isEmpty();
    }
}
