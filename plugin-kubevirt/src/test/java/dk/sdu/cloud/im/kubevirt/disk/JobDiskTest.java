package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.CONVERTING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.RESIZING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job's disk from a golden image: made at its size first, converted into with direct I/O, and through the
 * page cache where the file system refuses direct I/O. qemu-img is the real one, behind a script that can
 * play a file system without {@code O_DIRECT}.
 */
class JobDiskTest {
    /** What qemu-img 6+ answers when the target's file system refuses O_DIRECT, for calls with -t none. */
    private static final String REFUSE_DIRECT_IO = """
            case " $* " in
              *" -t none "*) eval target=\\${$#}
                echo "qemu-img: Could not open '$target': filesystem does not support O_DIRECT" >&2; exit 1 ;;
            esac
            exec qemu-img "$@"
            """;

    @TempDir
    Path root;
    private Path calls;
    private byte[] content;
    private GoldenImage golden;
    private final List<DiskPreparationEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        TestImages.requireQemuImg();
        calls = root.resolve("calls");
        content = TestImages.pattern((int) TestImages.MIB, 11);
        golden = new GoldenImage(TestImages.qcow2(Files.createDirectories(root.resolve("cache")), "golden", content),
                "qcow2", TestImages.MIB);
    }

    private JobDisk jobDisk(String script) throws Exception {
        return new JobDisk(new QemuImg(TestImages.fakeQemuImg(root, calls, script).toString(),
                QemuImg.Timeouts.defaults()), DiskOwnership.unchanged());
    }

    private DiskPreparationRequest request() {
        return new DiskPreparationRequest("7", new GoldenImageKey("app", "1"),
                URI.create("https://images.example.org/app.qcow2"), null, root.resolve("jobs/7"), 1);
    }

    private void assertTheDiskIsWhole(Path disk) throws Exception {
        assertThat(disk).isEqualTo(root.resolve("jobs/7/disk.img"));
        assertThat(Files.size(disk)).isEqualTo(TestImages.GIB);
        assertThat(TestImages.read(disk, 0, content.length)).isEqualTo(content);
        assertThat(TestImages.read(disk, content.length, 65536)).containsOnly(0);
        assertThat(TestImages.allocatedBytes(disk)).as("sparse").isLessThan(16 * TestImages.MIB);
        assertThat(TestImages.names(root.resolve("jobs/7"))).containsExactly("disk.img");
        assertThat(events.stream().map(DiskPreparationEvent::phase).distinct().toList())
                .containsExactly(CONVERTING, RESIZING);
    }

    @Test
    void theDiskIsMadeAtItsSizeAndConvertedIntoWithDirectIo() throws Exception {
        Path disk = jobDisk("exec qemu-img \"$@\"").make(request(), golden, events::add, () -> false);

        assertTheDiskIsWhole(disk);
        List<String> made = Files.readAllLines(calls);
        assertThat(made.get(0)).as("first try").startsWith("convert -p -n --target-is-zero -t none -f qcow2 -O raw ");
        assertThat(made).as("no resize, no info: the size is the file's").allMatch(call -> call.startsWith("convert"));
    }

    @Test
    void aFileSystemThatRefusesDirectIoGetsTheConvertThroughThePageCache() throws Exception {
        Path disk = jobDisk(REFUSE_DIRECT_IO).make(request(), golden, events::add, () -> false);

        assertTheDiskIsWhole(disk);
        List<String> made = Files.readAllLines(calls);
        assertThat(made).hasSize(2);
        assertThat(made.get(0)).contains(" -t none ");
        assertThat(made.get(1)).startsWith("convert -p -n --target-is-zero -f qcow2 -O raw ").doesNotContain("-t none");
    }

    @Test
    void anotherFailureIsNotRetriedAndLeavesNothingBehind() throws Exception {
        JobDisk failing = jobDisk("echo \"qemu-img: Could not open '$3': Permission denied\" >&2; exit 1");

        assertThatThrownBy(() -> failing.make(request(), golden, events::add, () -> false))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("Permission denied");
        assertThat(Files.readAllLines(calls)).hasSize(1);
        assertThat(TestImages.names(root.resolve("jobs/7"))).isEmpty();
    }

    @Test
    void aPreparationCancelledWhileDirectIoWasRefusedDoesNotConvertAgain() throws Exception {
        // Cancelled as soon as qemu-img has run once.
        JobDisk refusing = jobDisk(REFUSE_DIRECT_IO);

        assertThatThrownBy(() -> refusing.make(request(), golden, events::add, () -> Files.exists(calls)))
                .isInstanceOf(InterruptedIOException.class);
        assertThat(Files.readAllLines(calls)).hasSize(1);
        assertThat(TestImages.names(root.resolve("jobs/7"))).isEmpty();
    }

    @Test
    void anImageLargerThanTheDiskIsRefusedBeforeAnythingIsMade() throws Exception {
        GoldenImage large = new GoldenImage(golden.file(), "qcow2", 2 * TestImages.GIB);

        assertThatThrownBy(() -> jobDisk("exec qemu-img \"$@\"").make(request(), large, events::add, () -> false))
                .isInstanceOf(DiskPreparationException.class)
                .hasMessageContaining("ask for at least 2 GiB");
        assertThat(calls).doesNotExist();
        assertThat(root.resolve("jobs/7")).doesNotExist();
    }
}
