package dk.sdu.cloud.im.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a guest root holds after boot, and what it refuses to write. */
class GuestRootTest {

    @TempDir
    Path temp;

    private static String userData(String files) {
        return "#cloud-config\nwrite_files:\n" + files;
    }

    @Test
    void encodedFilesAreDecodedAndPermissionsApplied() throws IOException {
        GuestRoot root = new GuestRoot(temp.resolve("root"));

        root.boot(new GuestBoot(userData("- path: /etc/motd\n  encoding: b64\n  content: aGVsbG8K\n  permissions: '0640'\n"),
                Map.of()));

        assertThat(temp.resolve("root/etc/motd")).hasContent("hello");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(temp.resolve("root/etc/motd")))).isEqualTo("rw-r-----");
        assertThat(temp.resolve("root/" + GuestRoot.TAGS_FILE)).hasContent("{}");
    }

    @Test
    void aPathOutsideTheRootIsRefused() {
        GuestRoot root = new GuestRoot(temp.resolve("root"));

        assertThatThrownBy(() -> root.boot(new GuestBoot(userData("- path: /../outside\n  content: x\n"), Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves the guest root");
        assertThat(temp.resolve("outside")).doesNotExist();
    }

    @Test
    void bootNamesTheHostFolderMountedAtWork() throws IOException {
        Path jobWork = Files.createDirectories(temp.resolve("fs/jobs/1/work"));
        GuestRoot root = new GuestRoot(temp.resolve("root"));
        String mountUnit = "- path: /etc/systemd/system/work.mount\n  content: |\n"
                + "    [Mount]\n    What=ucloud-work\n    Where=/work\n";

        // The metrics service writes there (the job's work folder); the root's own work/ stays a plain folder.
        assertThat(root.boot(new GuestBoot(userData(mountUnit), Map.of("ucloud-work", jobWork)))).contains(jobWork);
        assertThat(temp.resolve("root/work")).isDirectory().isNotEqualTo(jobWork);
        assertThat(Files.isSymbolicLink(temp.resolve("root/work"))).isFalse();
        assertThat(new GuestRoot(temp.resolve("other")).boot(new GuestBoot(userData(mountUnit), Map.of()))).isEmpty();
    }

    @Test
    void aPathThroughALinkToAHostFolderIsRefused() throws IOException {
        Path executables = Files.createDirectories(temp.resolve("fs/ucloud-exe"));
        GuestRoot root = new GuestRoot(temp.resolve("root"));
        String mountUnit = "- path: /etc/systemd/system/opt-ucloud.mount\n  content: |\n"
                + "    [Mount]\n    What=ucloud-opt\n    Where=/opt/ucloud\n";
        root.boot(new GuestBoot(userData(mountUnit), Map.of("ucloud-opt", executables)));
        assertThat(Files.readSymbolicLink(temp.resolve("root/opt/ucloud"))).isEqualTo(executables);

        assertThatThrownBy(() -> root.boot(new GuestBoot(userData(mountUnit + "- path: /opt/ucloud/vmagent\n  content: x\n"),
                Map.of("ucloud-opt", executables))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("through a link");
        assertThat(executables.resolve("vmagent")).doesNotExist();
    }

    @Test
    void deletingTheRootRemovesLinksWithoutFollowingThem() throws IOException {
        Path data = Files.createDirectories(temp.resolve("fs/Data"));
        Files.writeString(data.resolve("keep.txt"), "keep");
        GuestRoot root = new GuestRoot(temp.resolve("root"));
        root.boot(new GuestBoot(null, Map.of()));
        Files.createSymbolicLink(temp.resolve("root/work/Data"), data);   // as the agent "mounts" a folder

        root.delete();

        assertThat(temp.resolve("root")).doesNotExist();
        assertThat(data.resolve("keep.txt")).hasContent("keep");
    }
}
