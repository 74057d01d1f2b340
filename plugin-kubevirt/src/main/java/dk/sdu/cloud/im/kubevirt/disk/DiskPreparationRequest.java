package dk.sdu.cloud.im.kubevirt.disk;

import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ToolDescription;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * What disk to make for a job: the golden image to start from and where and how large the job's
 * {@code disk.img} is. The constructor rejects bad input with a message naming the field.
 *
 * @param jobId       the job's id
 * @param imageKey    the application the image belongs to; the cache keeps one image per key (and URL and
 *                    checksum, so a republished image under the same version is fetched anew)
 * @param imageUrl    where the golden image is downloaded from: {@code http} or {@code https} only
 * @param imageSha256 the image's SHA-256 as 64 hex digits, or null when the application gives none;
 *                    stored in lower case
 * @param jobFolder   the job's folder, absolute; {@code disk.img} is made in it
 * @param sizeGiB     the disk's size in GiB, 1 to {@value #MAX_SIZE_GIB}; the image is never shrunk to it
 */
public record DiskPreparationRequest(
        String jobId,
        GoldenImageKey imageKey,
        URI imageUrl,
        String imageSha256,
        Path jobFolder,
        int sizeGiB
) {
    /** The largest disk UCloud offers (its {@code diskSize} parameter's maximum). */
    public static final int MAX_SIZE_GIB = 2000;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    public DiskPreparationRequest {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(imageKey, "imageKey is null");
        requireNonNull(imageUrl, "imageUrl is null");
        requireNonNull(jobFolder, "jobFolder is null");
        if (jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        String scheme = imageUrl.getScheme() == null ? "" : imageUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("imageUrl must be an http or https URL, got '"
                    + Urls.forDisplay(imageUrl) + "'");
        }
        if (imageUrl.getHost() == null || imageUrl.getHost().isBlank()) {
            throw new IllegalArgumentException("imageUrl has no host: '" + Urls.forDisplay(imageUrl) + "'");
        }
        if (imageSha256 != null) {
            if (!SHA256.matcher(imageSha256).matches()) {
                throw new IllegalArgumentException("imageSha256 must be 64 hex digits, got '" + imageSha256 + "'");
            }
            imageSha256 = imageSha256.toLowerCase(Locale.ROOT);
        }
        if (!jobFolder.isAbsolute()) {
            throw new IllegalArgumentException("jobFolder must be an absolute path, got '" + jobFolder + "'");
        }
        jobFolder = jobFolder.normalize();
        if (sizeGiB < 1 || sizeGiB > MAX_SIZE_GIB) {
            throw new IllegalArgumentException("sizeGiB must be 1.." + MAX_SIZE_GIB + ", got " + sizeGiB);
        }
    }

    /** The checksum, when the application gives one. */
    public Optional<String> expectedSha256() {
        return Optional.ofNullable(imageSha256);
    }

    /** Where the finished disk is: {@code <jobFolder>/disk.img}. */
    public Path diskPath() {
        return jobFolder.resolve(JobDisk.DISK_FILE);
    }

    /**
     * The request for a VM job: application name and version from the job's specification, image URL and
     * checksum from its resolved tool, the job folder from the provider file system.
     *
     * @param diskSizeGiB the job's {@code diskSize} (the caller applies UCloud's default and range)
     * @throws IllegalArgumentException when the job lacks an application, an image URL, or has bad values
     */
    public static DiskPreparationRequest forJob(Job job, ProviderFileSystem fileSystem, int diskSizeGiB) {
        requireNonNull(job, "job is null");
        requireNonNull(fileSystem, "fileSystem is null");
        NameAndVersion app = job.specification() == null ? null : job.specification().application();
        if (app == null || app.name() == null || app.version() == null) {
            throw new IllegalArgumentException("job " + job.id() + " names no application name and version");
        }
        ToolDescription tool = job.toolDescription().orElseThrow(() ->
                new IllegalArgumentException("job " + job.id() + " has no resolved tool"));
        if (tool.image() == null || tool.image().isBlank()) {
            throw new IllegalArgumentException("job " + job.id() + ": the application's tool gives no image URL");
        }
        URI url;
        try {
            url = new URI(tool.image().strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("job " + job.id() + ": the image URL is not a URL: "
                    + e.getMessage(), e);
        }
        return new DiskPreparationRequest(job.id(), new GoldenImageKey(app.name(), app.version()), url,
                tool.imageSha256(), fileSystem.resolve(fileSystem.jobFolder(job)), diskSizeGiB);
    }
}
