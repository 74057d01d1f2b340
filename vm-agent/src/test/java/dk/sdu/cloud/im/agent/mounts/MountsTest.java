package dk.sdu.cloud.im.agent.mounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sdu.cloud.im.agent.guest.GuestLayout;
import dk.sdu.cloud.im.agent.mounts.CommandRunner.CommandResult;
import dk.sdu.cloud.im.agent.mounts.MountResult.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

class MountsTest {
    @TempDir
    Path temp;

    private final List<List<String>> commands = new ArrayList<>();

    private SudoMounter mounter(Set<String> mountPoints, CommandResult mountResult) {
        return new SudoMounter(command -> {
            commands.add(command);
            return command.contains("mount") ? mountResult : new CommandResult(0, "");
        }, path -> mountPoints.contains(path.toString()));
    }

    @Test
    void mountsThroughSudoWithReadOnlyWhenAsked() {
        var result = mounter(Set.of(), new CommandResult(0, "")).mount(new MountEntry("ucloud-r1", "/work/Old", true, "9p"));
        assertThat(result).isEqualTo(new MountResult("ucloud-r1", "/work/Old", true, Outcome.MOUNTED, ""));
        assertThat(commands).containsExactly(
                List.of("sudo", "-n", "mkdir", "-p", "--", "/work/Old"),
                List.of("sudo", "-n", "mount", "-t", "9p", "-o", "ro", "--", "ucloud-r1", "/work/Old"));
    }

    @Test
    void aMountPointIsLeftAlone() {
        var result = mounter(Set.of("/work/Data"), new CommandResult(0, "")).mount(new MountEntry("ucloud-r0", "/work/Data", false, "virtiofs"));
        assertThat(result.outcome()).isEqualTo(Outcome.ALREADY_MOUNTED);
        assertThat(commands).isEmpty();
    }

    @Test
    void aFailedMountCarriesTheCommandsStderr_bounded() {
        var result = mounter(Set.of(), new CommandResult(32, "mount: unknown filesystem type 'virtiofs'\n"))
                .mount(new MountEntry("ucloud-r0", "/work/Data", false, "virtiofs"));
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).isEqualTo("mount: unknown filesystem type 'virtiofs'");

        var long_ = mounter(Set.of(), new CommandResult(1, "x".repeat(5000))).mount(new MountEntry("t", "/work/D", false, "virtiofs"));
        assertThat(long_.message()).hasSizeLessThanOrEqualTo(SudoMounter.MAX_MESSAGE_CHARS + 1);

        var silent = mounter(Set.of(), new CommandResult(3, "")).mount(new MountEntry("t", "/work/D", false, "virtiofs"));
        assertThat(silent.message()).isEqualTo("mount exited with status 3");
    }

    @Test
    void entriesThatCouldBeReadAsOptionsOrOddPathsAreRefusedWithoutRunningAnything() {
        var mounter = mounter(Set.of(), new CommandResult(0, ""));
        for (var entry : List.of(new MountEntry("-oremount", "/work/D", false, "virtiofs"),
                new MountEntry("t", "work/D", false, "virtiofs"),
                new MountEntry("t", "/work/../etc", false, "virtiofs"),
                new MountEntry("t", "/", false, "virtiofs"),
                new MountEntry("t", "/work/D", false, "-t"))) {
            assertThat(mounter.mount(entry).outcome()).as("%s", entry).isEqualTo(Outcome.FAILED);
        }
        assertThat(commands).isEmpty();
    }

    @Test
    void mountInfoFindsMountPointsWithEscapedSpaces() throws IOException {
        var file = temp.resolve("mountinfo");
        Files.writeString(file, """
                22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
                40 22 0:35 / /work/My\\040Data rw,relatime shared:20 - virtiofs ucloud-r0 rw
                """);
        var info = new MountInfo(file);
        assertThat(info.isMountPoint(Path.of("/work/My Data"))).isTrue();
        assertThat(info.isMountPoint(Path.of("/"))).isTrue();
        assertThat(info.isMountPoint(Path.of("/work"))).isFalse();
    }

    @Test
    void theMountsFileIsRead_fsTypeDefaultsToVirtiofs_aMissingFileIsNoMounts() throws IOException {
        var reader = new MountsFileReader(YAMLMapper.builder().build());
        var file = temp.resolve("mounts.yml");
        Files.writeString(file, """
                mounts:
                  - tag: "ucloud-r0"
                    path: "/work/Data"
                    readOnly: false
                  - tag: "ucloud-r1"
                    path: "/work/Old"
                    readOnly: true
                    fsType: 9p
                """);
        assertThat(reader.read(file)).containsExactly(
                new MountEntry("ucloud-r0", "/work/Data", false, "virtiofs"),
                new MountEntry("ucloud-r1", "/work/Old", true, "9p"));
        assertThat(reader.read(temp.resolve("absent.yml"))).isEmpty();

        Files.writeString(file, "mounts: {tag: x}\n");
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("mounts must be a list");
        Files.writeString(file, "mounts:\n  - {tag: x}\n");
        assertThatThrownBy(() -> reader.read(file)).hasMessageContaining("mounts[0] needs tag and path");
    }

    @Test
    void folderMountingReportsEachEntryAndNothingForAnUnreadableFile() throws IOException {
        var file = temp.resolve("mounts.yml");
        Files.writeString(file, "mounts:\n  - {tag: a, path: /work/A}\n  - {tag: b, path: /work/B, readOnly: true}\n");
        var mounting = new FolderMounting(new MountsFileReader(YAMLMapper.builder().build()),
                mounter(Set.of("/work/B"), new CommandResult(0, "")));
        assertThat(mounting.mountAll(file)).extracting(MountResult::outcome).containsExactly(Outcome.MOUNTED, Outcome.ALREADY_MOUNTED);

        Files.writeString(file, "mounts: [\n");
        assertThat(mounting.mountAll(file)).isEmpty();
    }

    @Test
    void aSimulatedGuestLinksToTheHostFolderOfTheTag() throws IOException {
        var root = Files.createDirectories(temp.resolve("guest"));
        var hostFolder = Files.createDirectories(temp.resolve("host/Data"));
        Files.createDirectories(root.resolve("work/Empty"));
        Files.createDirectories(root.resolve("work/Full"));
        Files.writeString(root.resolve("work/Full/file"), "x");
        var tagsFile = root.resolve("etc/ucloud-agent/simulated-tags.json");
        Files.createDirectories(tagsFile.getParent());
        Files.writeString(tagsFile, "{\"ucloud-r0\": \"" + hostFolder + "\"}");
        var tags = SimulatedTags.read(JsonMapper.builder().build(), tagsFile);
        var mounter = new SimulatedMounter(GuestLayout.simulated(root), tags);

        var mounted = mounter.mount(new MountEntry("ucloud-r0", "/work/Data", true, "virtiofs"));
        assertThat(mounted.outcome()).isEqualTo(Outcome.MOUNTED);
        assertThat(mounted.message()).contains("read-only is not enforced");
        assertThat(Files.readSymbolicLink(root.resolve("work/Data"))).isEqualTo(hostFolder);

        assertThat(mounter.mount(new MountEntry("ucloud-r0", "/work/Data", true, "virtiofs")).outcome()).isEqualTo(Outcome.ALREADY_MOUNTED);
        assertThat(mounter.mount(new MountEntry("ucloud-r0", "/work/Empty", false, "virtiofs"))).extracting(MountResult::outcome, MountResult::message)
                .containsExactly(Outcome.MOUNTED, "");
        assertThat(mounter.mount(new MountEntry("ucloud-r0", "/work/Full", false, "virtiofs")).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(mounter.mount(new MountEntry("ucloud-r9", "/work/Other", false, "virtiofs")).message()).contains("no host folder for tag ucloud-r9");
        assertThat(SimulatedTags.read(JsonMapper.builder().build(), temp.resolve("none.json"))).isEqualTo(Map.of());
    }
}
