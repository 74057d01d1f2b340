package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.simulator.ClusterStateFile.StoredObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded cluster's state file: a round trip, and what a torn or damaged write leaves. */
class ClusterStateFileTest {

    private static final StoredObject VM = new StoredObject("virtualmachines",
            "{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\",\"metadata\":{\"name\":\"vm-1-0\","
                    + "\"namespace\":\"apps\",\"uid\":\"u-1\",\"resourceVersion\":\"12\"},\"spec\":{\"note\":\"a\\nb ü\"}}");
    private static final StoredObject PV = new StoredObject("persistentvolumes",
            "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv-1\"}}");

    @TempDir
    Path folder;

    @Test
    void whatIsWrittenIsReadBackInOrder() throws Exception {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("state/objects.jsonl"));

        file.write(List.of(VM, PV));

        assertThat(file.read()).contains(List.of(VM, PV));
        assertThat(Files.getPosixFilePermissions(file.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file.file())).startsWith("{\"format\":\"ucloud-im-embedded-cluster\",\"version\":1,"
                + "\"objects\":2}\n");
    }

    @Test
    void anEmptyStoreIsAStateToo() throws Exception {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        file.write(List.of());
        assertThat(file.read()).contains(List.of());
    }

    @Test
    void noFileIsAFirstStart() {
        assertThat(new ClusterStateFile(folder.resolve("objects.jsonl")).read()).isEmpty();
    }

    @Test
    void aTornWriteIsIgnoredAndThePreviousStateRead() throws Exception {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        file.write(List.of(PV));
        file.write(List.of(VM, PV));
        byte[] complete = Files.readAllBytes(file.file());

        // Cut anywhere: in an object, in the trailer, right after an object's line.
        for (int length : new int[] {complete.length - 1, complete.length - 20, complete.length / 2, 10, 0}) {
            Files.write(file.file(), Arrays.copyOf(complete, length));
            assertThat(file.read()).as("cut at " + length).contains(List.of(PV));
        }
    }

    @Test
    void aChangedByteFailsTheChecksum() throws Exception {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        file.write(List.of(PV));
        file.write(List.of(VM));
        String text = Files.readString(file.file()).replace("vm-1-0", "vm-9-0");
        Files.writeString(file.file(), text);

        assertThat(file.read()).contains(List.of(PV));
        assertThatThrownBy(() -> ClusterStateFile.decode(text.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("checksum");
    }

    @Test
    void aCrashBetweenTheTwoRenamesLeavesThePreviousState() throws Exception {
        ClusterStateFile file = new ClusterStateFile(folder.resolve("objects.jsonl"));
        file.write(List.of(PV));
        file.write(List.of(VM));
        Files.delete(file.file());                                   // renamed away, the new one not yet in place
        Files.writeString(folder.resolve("objects.jsonl.tmp"), "{\"format\":\"ucloud-im-embedded-cluster\"");

        assertThat(file.read()).contains(List.of(PV));
        file.write(List.of(VM, PV));                                 // the next write replaces the torn temporary
        assertThat(file.read()).contains(List.of(VM, PV));
    }

    @Test
    void countsThatDisagreeAndForeignFilesAreRefused() {
        byte[] two = ClusterStateFile.encode(List.of(VM, PV));
        String text = new String(two, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ClusterStateFile.decode(text.replace("\"objects\":2", "\"objects\":3")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("checksum");
        assertThatThrownBy(() -> ClusterStateFile.decode("{\"kind\":\"List\"}\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClusterStateFile.decode(two)).containsExactly(VM, PV);
    }

    @Test
    void anObjectMustBeOneLineOfJsonUnderAResourceName() {
        assertThatThrownBy(() -> new StoredObject("pods", "{\n}")).hasMessageContaining("one line");
        assertThatThrownBy(() -> new StoredObject("Pods/x", "{}")).hasMessageContaining("not a resource name");
    }
}
