package dk.sdu.cloud.im.kubevirt.disk;

import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobStatus;
import dk.sdu.cloud.im.spi.job.ToolDescription;
import dk.sdu.cloud.im.testdata.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every rejection rule of a request and of the settings, and the request made from a job. */
class DiskPreparationRequestTest {
    private static final GoldenImageKey APP = new GoldenImageKey("debian-vm", "12");
    private static final URI URL = URI.create("https://images.example.org/debian.qcow2");
    private static final Path FOLDER = Path.of("/mnt/ucloud/home/a/Jobs/VirtualMachines/1");

    private static DiskPreparationRequest request(URI url, String sha, Path folder, int size) {
        return new DiskPreparationRequest("1", APP, url, sha, folder, size);
    }

    @Test
    void onlyHttpAndHttpsUrlsAreAccepted() {
        assertThat(request(URI.create("http://x/a.qcow2"), null, FOLDER, 15).imageUrl().getScheme()).isEqualTo("http");
        assertThat(request(URI.create("HTTPS://x/a.qcow2"), null, FOLDER, 15)).isNotNull();
        for (String bad : new String[]{"file:///etc/passwd", "ftp://x/a.qcow2", "docker://x/y:1", "/relative/a.qcow2",
                "data:,hello"}) {
            assertThatThrownBy(() -> request(URI.create(bad), null, FOLDER, 15))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("imageUrl must be an http or https URL, got '");
        }
    }

    @Test
    void aUrlWithoutHostIsRejected() {
        assertThatThrownBy(() -> request(URI.create("http:///a.qcow2"), null, FOLDER, 15))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("imageUrl has no host: 'http:/a.qcow2'");
    }

    @Test
    void theChecksumMustBe64HexDigitsAndIsKeptInLowerCase() {
        assertThat(request(URL, "AB".repeat(32), FOLDER, 15).imageSha256()).isEqualTo("ab".repeat(32));
        assertThat(request(URL, null, FOLDER, 15).expectedSha256()).isEmpty();
        for (String bad : new String[]{"", "abc", "g".repeat(64), "a".repeat(63), "a".repeat(65), "sha256:" + "a".repeat(64)}) {
            assertThatThrownBy(() -> request(URL, bad, FOLDER, 15))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("imageSha256 must be 64 hex digits, got '" + bad + "'");
        }
    }

    @Test
    void theJobFolderMustBeAbsolute() {
        assertThatThrownBy(() -> request(URL, null, Path.of("home/a/Jobs/1"), 15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobFolder must be an absolute path, got 'home/a/Jobs/1'");
        assertThat(request(URL, null, Path.of("/mnt/x/../y/1"), 15).jobFolder()).isEqualTo(Path.of("/mnt/y/1"));
    }

    @Test
    void theSizeMustBeBetween1And2000GiB() {
        assertThat(request(URL, null, FOLDER, 1).sizeGiB()).isEqualTo(1);
        assertThat(request(URL, null, FOLDER, 2000).sizeGiB()).isEqualTo(2000);
        assertThatThrownBy(() -> request(URL, null, FOLDER, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sizeGiB must be 1..2000, got 0");
        assertThatThrownBy(() -> request(URL, null, FOLDER, 2001))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sizeGiB must be 1..2000, got 2001");
    }

    @Test
    void blankIdsAndNamesAreRejected() {
        assertThatThrownBy(() -> new DiskPreparationRequest(" ", APP, URL, null, FOLDER, 15))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jobId must not be blank");
        assertThatThrownBy(() -> new GoldenImageKey("", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("appName must not be blank");
        assertThatThrownBy(() -> new GoldenImageKey("a", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("appVersion must not be blank");
        assertThatThrownBy(() -> new DiskPreparationRequest("1", null, URL, null, FOLDER, 15))
                .isInstanceOf(NullPointerException.class).hasMessage("imageKey is null");
    }

    @Test
    void aRequestIsMadeFromTheExampleJob() throws Exception {
        Job job = exampleJob();

        DiskPreparationRequest request = DiskPreparationRequest.forJob(job, fileSystem(), 60);

        assertThat(request).isEqualTo(new DiskPreparationRequest("4242", new GoldenImageKey("debian-vm", "12"),
                URI.create("https://images.example.org/debian-12-genericcloud-amd64.qcow2"), null,
                Path.of("/mnt/ucloud/home/job-4242"), 60));
    }

    @Test
    void aJobWithoutAnImageUrlIsRejected() throws Exception {
        Job job = exampleJob();
        ToolDescription noImage = new ToolDescription(ToolDescription.VIRTUAL_MACHINE, " ", null);
        Job withoutImage = job.withStatus(new JobStatus(job.status().state(), null, null,
                new dk.sdu.cloud.im.spi.job.ResolvedApplication(job.status().resolvedApplication().metadata(),
                        new dk.sdu.cloud.im.spi.job.ApplicationInvocation(
                                new dk.sdu.cloud.im.spi.job.ToolReference("debian-vm", "12",
                                        new dk.sdu.cloud.im.spi.job.Tool(noImage)), null, null)), null));

        assertThatThrownBy(() -> DiskPreparationRequest.forJob(withoutImage, fileSystem(), 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job 4242: the application's tool gives no image URL");
        assertThatThrownBy(() -> DiskPreparationRequest.forJob(job.withStatus(null), fileSystem(), 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("job 4242 has no resolved tool");
    }

    @Test
    void settingsRejectNonsense() {
        Path cache = Path.of("/mnt/ucloud/vm-golden-images");
        DiskPreparerSettings ok = DiskPreparerSettings.defaults(cache);
        assertThatThrownBy(() -> DiskPreparerSettings.defaults(Path.of("relative")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("imageCacheFolder must be absolute");
        assertThatThrownBy(() -> ok.withWorkers(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be at least 1, got 0");
        assertThatThrownBy(() -> new DiskPreparerSettings(cache, 1, -1, ok.responseTimeout(),
                ok.downloadIdleTimeout(), ok.staleTempAge(), ok.qemuImgTimeouts()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxQueued must not be negative, got -1");
        assertThatThrownBy(() -> new DiskPreparerSettings(cache, 1, 1, Duration.ZERO,
                ok.downloadIdleTimeout(), ok.staleTempAge(), ok.qemuImgTimeouts()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new DiskPreparerSettings(cache, 1, 1, ok.responseTimeout(),
                Duration.ofHours(2), Duration.ofHours(1), ok.qemuImgTimeouts()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("staleTempAge (PT1H) must exceed downloadIdleTimeout (PT2H)");
    }

    @Test
    void theCacheFolderIsTheConfiguredFolderUnderTheMountPoint() {
        var config = new dk.sdu.cloud.im.kubevirt.KubeVirtConfig(true, false, "cache/golden", "ws://x", 300);

        assertThat(DiskPreparerSettings.imageCacheFolder(fileSystem(), config))
                .isEqualTo(Path.of("/mnt/ucloud/cache/golden"));
    }

    @Test
    void urlsAreShownWithoutCredentialsOrQuery() {
        assertThat(Urls.forDisplay(URI.create("https://u:p@h.example:8443/a/b.qcow2?sig=s3cr3t")))
                .isEqualTo("https://h.example:8443/a/b.qcow2?…");
        assertThat(Urls.forDisplay(URI.create("http://h/a.qcow2"))).isEqualTo("http://h/a.qcow2");
        assertThat(Urls.forDisplay(URI.create("file:/etc/passwd"))).isEqualTo("file:/etc/passwd");
    }

    private static Job exampleJob() throws Exception {
        return JsonMapper.builder().build().readValue(TestData.read(TestData.VM_JOB), Job.class);
    }

    private static ProviderFileSystem fileSystem() {
        return new ProviderFileSystem() {
            @Override
            public Path mountPoint() {
                return Path.of("/mnt/ucloud");
            }

            @Override
            public Path trashStagingArea() {
                return Path.of("/mnt/ucloud/trash");
            }

            @Override
            public String jobFolder(Job job) {
                return "home/job-" + job.id();
            }

            @Override
            public String resolveUCloudPath(String ucloudPath) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
