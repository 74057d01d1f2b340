package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.fs.FolderNames;
import dk.sdu.cloud.im.harness.store.KnownDrive;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Maps a UCloud path ({@code /<drive id>/<folders>}) to its folder below the mount point, as UCloud's IM does:
 * the drive ({@link DriveCache}) and its {@code providerGeneratedId} ({@link DriveDescriptor}) give the drive's
 * folder, and the folders after the drive id are joined on. A share's drive is the folder its share points at
 * (Core's {@code sourceFilePath}), resolved the same way once; a share that points at another share's drive is
 * refused, so no chain of shares can loop.
 *
 * <p>A share's source is kept in memory for {@link #SHARE_TTL} (as UCloud's IM does), not in the store: a share
 * can be withdrawn, a drive's identity cannot.
 */
public final class DriveLocator {
    /** How long a share's source is used without asking Core again. */
    public static final Duration SHARE_TTL = Duration.ofMinutes(1);

    private final DriveCache drives;
    private final CoreDrives core;
    private final Clock clock;
    private final Map<String, SharedSource> shares = new ConcurrentHashMap<>();

    public DriveLocator(DriveCache drives, CoreDrives core, Clock clock) {
        this.drives = requireNonNull(drives, "drives is null");
        this.core = requireNonNull(core, "core is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * The folder of {@code ucloudPath}, relative to the mount point.
     *
     * @throws IllegalArgumentException when the path is not {@code /<drive id>[/<folder>...]} with folder names
     *                                  only, or its drive (or share) does not exist, or its drive's
     *                                  {@code providerGeneratedId} is none this provider knows
     * @throws dk.sdu.cloud.im.spi.host.HostServiceUnavailableException when Core must be asked and does not
     *                                                                   answer now
     */
    public String folderOf(String ucloudPath) {
        UCloudPath path = UCloudPath.parse(ucloudPath);
        DriveDescriptor descriptor = descriptorOf(path, ucloudPath);
        if (descriptor instanceof DriveDescriptor.Share share) {
            String source = sourceOf(share, ucloudPath);
            UCloudPath target = UCloudPath.parse(source);
            DriveDescriptor targetDescriptor = descriptorOf(target, source);
            if (!(targetDescriptor instanceof DriveDescriptor.LocalDrive local)) {
                throw new IllegalArgumentException("'" + FolderNames.printable(ucloudPath) + "' is in share "
                        + share.shareId() + ", which points at another share ('" + FolderNames.printable(source)
                        + "'); a share of a share is refused");
            }
            return join(join(local.folder(target.driveId()), target.folders()), path.folders());
        }
        return join(((DriveDescriptor.LocalDrive) descriptor).folder(path.driveId()), path.folders());
    }

    private DriveDescriptor descriptorOf(UCloudPath path, String original) {
        KnownDrive drive = drives.byId(path.driveId()).orElseThrow(() -> new IllegalArgumentException(
                "the drive " + path.driveId() + " of '" + FolderNames.printable(original)
                        + "' does not exist (UCloud/Core does not know it)"));
        try {
            return DriveDescriptor.parse(drive.providerGeneratedId());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the drive " + path.driveId() + " of '"
                    + FolderNames.printable(original) + "' cannot be used: " + e.getMessage(), e);
        }
    }

    private String sourceOf(DriveDescriptor.Share share, String original) {
        long now = clock.millis();
        SharedSource cached = shares.get(share.shareId());
        if (cached != null && now - cached.fetchedAt() < SHARE_TTL.toMillis() && now >= cached.fetchedAt()) {
            return cached.source();
        }
        String source = core.shareSource(share.shareId()).orElseThrow(() -> new IllegalArgumentException(
                "the share " + share.shareId() + " behind '" + FolderNames.printable(original)
                        + "' does not exist (UCloud/Core does not know it)"));
        shares.put(share.shareId(), new SharedSource(source, now));
        return source;
    }

    private static String join(String folder, List<String> folders) {
        StringBuilder result = new StringBuilder(folder);
        folders.forEach(name -> result.append('/').append(name));
        return result.toString();
    }

    private record SharedSource(String source, long fetchedAt) {
    }

    /** {@code /<drive id>/<folder>...}, every part a folder name. */
    private record UCloudPath(String driveId, List<String> folders) {
        static UCloudPath parse(String path) {
            requireNonNull(path, "ucloudPath is null");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a UCloud path starts with '/<drive id>', got '"
                        + FolderNames.printable(path) + "'");
            }
            String[] parts = path.substring(1).split("/", -1);
            if (parts[0].isEmpty()) {
                throw new IllegalArgumentException("a UCloud path names a drive first ('/<drive id>/...'), got '"
                        + FolderNames.printable(path) + "'");
            }
            for (String part : parts) {
                FolderNames.problem(part).ifPresent(problem -> {
                    throw new IllegalArgumentException("a part of a UCloud path " + problem + " (no empty, '.' or"
                            + " '..' parts), got '" + FolderNames.printable(path) + "'");
                });
            }
            return new UCloudPath(parts[0], List.of(parts).subList(1, parts.length));
        }
    }
}
