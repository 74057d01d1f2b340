package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.store.H2DriveTable;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file system of a serving IM, on a real job store, with Core faked. */
class CoreProviderFileSystemTest {
    private static final Path MOUNT = Path.of("/mnt/ucloud");
    private final SettableClock clock = new SettableClock(Instant.ofEpochMilli(5_000));
    private final FakeCore core = new FakeCore().drive("17", null, "alice", null).drive("1", "h-alice", "alice", null);
    @TempDir
    Path dir;
    private H2JobStore store;
    private CoreProviderFileSystem fs;

    @BeforeEach
    void open() {
        openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void openStore() {
        store = H2JobStore.open(dir.resolve("jobs"), clock);
        fs = CoreProviderFileSystem.create(MOUNT, MOUNT.resolve("trash"), core, H2DriveTable.of(store), "storage",
                "k8s", clock);
    }

    private void reopenStore() {
        store.close();
        openStore();
    }

    private static Job job(String id, String user, String project) {
        return new Job(id, 0L, new JobOwner(user, project), null, null, List.of());
    }

    @Test
    void aPersonalJobsFolderIsInItsOwnersHomeWhichCoreKnowsAlready() {
        assertThat(fs.jobFolder(job("4242", "alice", null))).isEqualTo("home/alice/Jobs/VirtualMachines/4242");
        assertThat(fs.resolve(fs.jobFolder(job("4242", "alice", ""))))
                .isEqualTo(Path.of("/mnt/ucloud/home/alice/Jobs/VirtualMachines/4242"));
        // Not in the IM's table: registered (409), then found through Core's browse; never registered twice.
        assertThat(core.calls()).containsExactly("POST " + CoreDrives.REGISTER, "GET " + CoreDrives.BROWSE);
        assertThat(core.queries().get(0)).containsEntry("filterProviderIds", "h-alice");
    }

    @Test
    void aMissingMemberFilesDriveIsRegisteredAsUCloudsImDoesOnceAndThenKept() {
        assertThat(fs.jobFolder(job("77", "bob#1", "p-123")))
                .isEqualTo("projects/p-123/Members' Files/bob#1/Jobs/VirtualMachines/77");
        assertThat(core.calls()).containsExactly("POST " + CoreDrives.REGISTER);
        JsonNode item = core.bodies().get(0).get("items").get(0);
        assertThat(item.get("providerGeneratedId").asString()).isEqualTo("pm-p-123/bob#1");
        assertThat(item.get("createdBy").asString()).isEqualTo("bob#1");
        assertThat(item.get("project").asString()).isEqualTo("p-123");
        assertThat(item.get("projectAllRead").asBoolean()).isFalse();
        assertThat(item.get("projectAllWrite").asBoolean()).isFalse();
        JsonNode spec = item.get("spec");
        assertThat(spec.get("title").asString()).isEqualTo("Member Files: bob#1");
        assertThat(spec.get("labels").isNull()).isTrue();
        assertThat(spec.get("product").get("id").asString()).isEqualTo("project-home");
        assertThat(spec.get("product").get("category").asString()).isEqualTo("storage");
        assertThat(spec.get("product").get("provider").asString()).isEqualTo("k8s");

        fs.jobFolder(job("78", "bob#1", "p-123"));
        reopenStore();
        fs.jobFolder(job("79", "bob#1", "p-123"));
        assertThat(core.calls()).hasSize(1);
    }

    @Test
    void aNewUsersHomeIsRegisteredWithTitleHomeAndTheFileSystemsProduct() {
        fs.jobFolder(job("1", "dave", null));
        JsonNode item = core.bodies().get(0).get("items").get(0);
        assertThat(item.get("providerGeneratedId").asString()).isEqualTo("h-dave");
        assertThat(item.get("project").isNull()).isTrue();
        assertThat(item.get("spec").get("title").asString()).isEqualTo("Home");
        assertThat(item.get("spec").get("product").get("id").asString()).isEqualTo("storage");
        assertThat(core.knows("h-dave")).isTrue();
        fs.jobFolder(job("2", "dave", null));
        assertThat(core.calls()).containsExactly("POST " + CoreDrives.REGISTER);
    }

    @Test
    void aMemberFilesDriveTheIMKnowsCostsNoCall() {
        fs.resolveUCloudPath("/1/x");   // learns drive 1, h-alice
        assertThat(core.calls()).hasSize(1);
        fs.jobFolder(job("5", "alice", null));
        assertThat(core.calls()).hasSize(1);
    }

    @Test
    void badNamesAreRefusedBeforeCoreIsAsked() {
        assertThatThrownBy(() -> fs.jobFolder(job("..", "alice", null))).hasMessageContaining("job id");
        assertThatThrownBy(() -> fs.jobFolder(job("1", "a/b", null))).hasMessageContaining("owner.createdBy");
        assertThatThrownBy(() -> fs.jobFolder(job("1", "alice", "../x"))).hasMessageContaining("owner.project");
        assertThatThrownBy(() -> fs.jobFolder(job("1", "ali\u0000ce", null))).hasMessageContaining("control");
        assertThatThrownBy(() -> fs.jobFolder(new Job("1", 0L, null, null, null, List.of())))
                .hasMessageContaining("no owner");
        assertThatThrownBy(() -> fs.resolveUCloudPath("/17/../1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(core.calls()).isEmpty();
    }

    @Test
    void aDriveLearntOnceIsKnownAfterTheStoreIsReopened() {
        assertThat(fs.resolveUCloudPath("/17/Data")).isEqualTo("collections/17/Data");
        assertThat(fs.resolveUCloudPath("/1/Data")).isEqualTo("home/alice/Data");
        assertThat(core.calls()).hasSize(2);
        reopenStore();
        core.down(0);
        assertThat(fs.resolveUCloudPath("/17/Data")).isEqualTo("collections/17/Data");
        assertThat(fs.resolveUCloudPath("/1/Data")).isEqualTo("home/alice/Data");
        assertThat(fs.jobFolder(job("3", "alice", null))).isEqualTo("home/alice/Jobs/VirtualMachines/3");
        assertThat(core.calls()).hasSize(2);
    }

    @Test
    void registrationWhileCoreIsDownIsTheDistinctExceptionAndIsTriedAgainLater() {
        core.down(503);
        assertThatThrownBy(() -> fs.jobFolder(job("9", "erin", null)))
                .isInstanceOf(HostServiceUnavailableException.class)
                .hasMessageContaining("register the drive h-erin");
        core.down(-1);
        assertThat(fs.jobFolder(job("9", "erin", null))).isEqualTo("home/erin/Jobs/VirtualMachines/9");
        assertThat(core.calls()).containsExactly("POST " + CoreDrives.REGISTER, "POST " + CoreDrives.REGISTER);
    }

    @Test
    void twoJobsOfANewUserAtOnceRegisterTheDriveOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> folders = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = String.valueOf(i);
                folders.add(threads.submit(() -> fs.jobFolder(job(id, "frank", "p-9"))));
            }
            for (Future<String> folder : folders) {
                assertThat(folder.get(30, TimeUnit.SECONDS)).startsWith("projects/p-9/Members' Files/frank/Jobs/");
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(core.calls()).containsExactly("POST " + CoreDrives.REGISTER);
    }

    @Test
    void theMountPointsMustBeAbsolute() {
        assertThatThrownBy(() -> CoreProviderFileSystem.create(Path.of("mnt"), Path.of("/trash"), core,
                new MemoryDriveTable(), "storage", "k8s", clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
