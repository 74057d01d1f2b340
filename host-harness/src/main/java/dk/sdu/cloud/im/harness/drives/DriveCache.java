package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.store.DriveTable;
import dk.sdu.cloud.im.harness.store.KnownDrive;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The drives the IM knows, looked up in the job store's {@link DriveTable} first and asked of UCloud/Core on a
 * miss (then kept). A drive's {@code providerGeneratedId} and owner do not change, so what is kept is not asked
 * again. Nothing here holds a lock while Core is called: two lookups of the same new drive may both ask Core,
 * which answers both the same.
 */
public final class DriveCache {
    private final DriveTable table;
    private final CoreDrives core;
    // A drive's id and providerGeneratedId never change: what the table said once holds, so a job's checks read
    // memory, not the job store (whose lock every write holds through its flush).
    private final Map<String, KnownDrive> byId = new ConcurrentHashMap<>();
    private final Map<String, KnownDrive> byProviderGeneratedId = new ConcurrentHashMap<>();

    public DriveCache(DriveTable table, CoreDrives core) {
        this.table = requireNonNull(table, "table is null");
        this.core = requireNonNull(core, "core is null");
    }

    /**
     * The drive with Core's id {@code driveId}; empty when neither this IM nor Core knows it.
     *
     * @throws dk.sdu.cloud.im.spi.host.HostServiceUnavailableException when it is not known here and Core
     *                                                                   does not answer now
     */
    public Optional<KnownDrive> byId(String driveId) {
        requireNonNull(driveId, "driveId is null");
        KnownDrive inMemory = byId.get(driveId);
        if (inMemory != null) {
            return Optional.of(inMemory);
        }
        Optional<KnownDrive> known = table.find(driveId);
        if (known.isPresent()) {
            keep(known.get());
            return known;
        }
        Optional<KnownDrive> fetched = core.retrieve(driveId);
        fetched.ifPresent(this::remember);
        return fetched;
    }

    /** The drive made with {@code providerGeneratedId}, if this IM knows it (Core is not asked). */
    public Optional<KnownDrive> byProviderGeneratedId(String providerGeneratedId) {
        requireNonNull(providerGeneratedId, "providerGeneratedId is null");
        KnownDrive inMemory = byProviderGeneratedId.get(providerGeneratedId);
        if (inMemory != null) {
            return Optional.of(inMemory);
        }
        Optional<KnownDrive> known = table.findByProviderGeneratedId(providerGeneratedId);
        known.ifPresent(this::keep);
        return known;
    }

    /** Keeps a drive learnt from Core otherwise (a registration, a browse). */
    public void remember(KnownDrive drive) {
        table.remember(requireNonNull(drive, "drive is null"));
        keep(drive);
    }

    private void keep(KnownDrive drive) {
        byId.put(drive.id(), drive);
        drive.providerGeneratedId().ifPresent(id -> byProviderGeneratedId.put(id, drive));
    }
}
