package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriveLocatorTest {
    private final SettableClock clock = new SettableClock(Instant.ofEpochMilli(1_000_000));
    private final FakeCore core = new FakeCore()
            .drive("1", "h-alice#1234", "alice#1234", null)
            .drive("2", "p-p-123/Experiments", "bob#1", "p-123")
            .drive("3", "pm-p-123/bob#1", "bob#1", "p-123")
            .drive("17", null, "alice#1234", null)
            .drive("40", "s-900", "carol", null)
            .drive("41", "s-901", "carol", null)
            .drive("42", "s-902", "carol", null)
            .drive("50", "h-..", "mallory", null)
            .drive("51", "p-a/b/c", "mallory", null)
            .drive("52", "zz-what", "mallory", null)
            .share("900", "/2/Results/run 1")
            .share("901", "/40/inner")
            .share("902", "/99/gone");
    private final MemoryDriveTable table = new MemoryDriveTable();
    private final CoreDrives calls = new CoreDrives(core, clock);
    private final DriveLocator locator = new DriveLocator(new DriveCache(table, calls), calls, clock);

    @Test
    void eachKindOfDriveMapsToItsFolder() {
        assertThat(locator.folderOf("/1/Data")).isEqualTo("home/alice#1234/Data");
        assertThat(locator.folderOf("/2/Results/x")).isEqualTo("projects/p-123/Experiments/Results/x");
        assertThat(locator.folderOf("/3/Jobs")).isEqualTo("projects/p-123/Members' Files/bob#1/Jobs");
        assertThat(locator.folderOf("/17/My Data/run 1")).isEqualTo("collections/17/My Data/run 1");
        assertThat(locator.folderOf("/17")).isEqualTo("collections/17");
        assertThat(locator.folderOf("/1")).isEqualTo("home/alice#1234");
    }

    @Test
    void aShareIsTheFolderItPointsAtResolvedThroughItsOwnDrive() {
        assertThat(locator.folderOf("/40")).isEqualTo("projects/p-123/Experiments/Results/run 1");
        assertThat(locator.folderOf("/40/out/a.txt")).isEqualTo("projects/p-123/Experiments/Results/run 1/out/a.txt");
    }

    @Test
    void aShareOfAShareIsRefused() {
        assertThatThrownBy(() -> locator.folderOf("/41/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("share 901").hasMessageContaining("a share of a share is refused");
    }

    @Test
    void aShareCoreDoesNotKnowOrWhoseDriveIsGoneIsRefused() {
        core.drive("43", "s-999", "carol", null);
        assertThatThrownBy(() -> locator.folderOf("/43/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the share 999").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> locator.folderOf("/42/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the drive 99").hasMessageContaining("does not exist");
    }

    @Test
    void aDriveCoreDoesNotKnowIsRefusedNamingThePath() {
        assertThatThrownBy(() -> locator.folderOf("/404/Data")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the drive 404 of '/404/Data' does not exist");
        assertThat(table.size()).isZero();
    }

    @Test
    void aDriveWhoseProviderGeneratedIdIsBadIsRefused() {
        for (String path : List.of("/50/x", "/51/x", "/52/x")) {
            assertThatThrownBy(() -> locator.folderOf(path)).as(path).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be used");
        }
    }

    @Test
    void aPathThatIsNotADriveAndFolderNamesIsRefusedWithoutAskingCore() {
        for (String path : List.of("17/Data", "", "/", "//Data", "/17/", "/17//Data", "/17/./Data", "/17/../1",
                "/../x", "/17/Da\u0000ta", "/17/Da\nta", "/1\u007f7/Data", "/./x")) {
            assertThatThrownBy(() -> locator.folderOf(path)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> locator.folderOf("/17/Da\nta")).hasMessageContaining("Da\\u000Ata");
        assertThat(core.calls()).isEmpty();
    }

    @Test
    void aKnownDriveCostsNoCallAndAnUnknownOneOneCallThenIsKept() {
        locator.folderOf("/1/a");
        assertThat(core.calls()).containsExactly("GET " + CoreDrives.RETRIEVE);
        assertThat(table.find("1")).hasValueSatisfying(d -> {
            assertThat(d.providerGeneratedId()).contains("h-alice#1234");
            assertThat(d.createdBy()).isEqualTo("alice#1234");
            assertThat(d.project()).isEmpty();
            assertThat(d.productCategory()).isEqualTo("storage");
            assertThat(d.fetchedAt()).isEqualTo(1_000_000);
        });

        assertThat(locator.folderOf("/1/b")).isEqualTo("home/alice#1234/b");
        assertThat(core.calls()).hasSize(1);
    }

    @Test
    void theDriveIsAskedWithTheFlagsOfUCloudsIm() {
        locator.folderOf("/3/x");
        assertThat(core.queries()).containsExactly(Map.of("id", "3", "includeOthers", "true",
                "includeUpdates", "false", "includeSupport", "false", "includeProduct", "false"));
    }

    @Test
    void aShareIsAskedAgainOnlyAfterAMinute() {
        locator.folderOf("/40/a");
        long shareCalls = countOf("GET " + CoreDrives.RETRIEVE_SHARE);
        locator.folderOf("/40/b");
        assertThat(countOf("GET " + CoreDrives.RETRIEVE_SHARE)).isEqualTo(shareCalls).isEqualTo(1);

        core.share("900", "/2/Elsewhere");
        clock.advance(DriveLocator.SHARE_TTL.plus(Duration.ofMillis(1)));
        assertThat(locator.folderOf("/40/c")).isEqualTo("projects/p-123/Experiments/Elsewhere/c");
        assertThat(countOf("GET " + CoreDrives.RETRIEVE_SHARE)).isEqualTo(2);
        assertThat(core.queries()).contains(Map.of("id", "900", "includeOthers", "false", "includeUpdates", "false",
                "includeSupport", "false", "includeProduct", "false", "filterIngoing", "false"));
    }

    @Test
    void coreThatDoesNotAnswerIsTheDistinctExceptionNotARefusal() {
        for (int status : new int[]{0, 502, 503, 429}) {
            core.down(status);
            assertThatThrownBy(() -> locator.folderOf("/1/Data")).as("status " + status)
                    .isInstanceOf(HostServiceUnavailableException.class)
                    .isNotInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("UCloud/Core cannot be reached now to look up drive 1");
        }
        core.down(401);
        assertThatThrownBy(() -> locator.folderOf("/1/Data")).isInstanceOf(HostServiceUnavailableException.class)
                .hasMessageContaining("UCloud/Core refused the IM's call");
        assertThat(table.size()).isZero();

        core.down(-1);
        assertThat(locator.folderOf("/1/Data")).isEqualTo("home/alice#1234/Data");
    }

    @Test
    void aKnownDriveResolvesWhileCoreIsDown() {
        locator.folderOf("/2/x");
        core.down(0);
        assertThat(locator.folderOf("/2/y")).isEqualTo("projects/p-123/Experiments/y");
    }

    private long countOf(String call) {
        return core.calls().stream().filter(call::equals).count();
    }
}
