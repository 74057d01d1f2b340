package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.store.DriveTable;
import dk.sdu.cloud.im.harness.store.KnownDrive;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link DriveTable} in memory. */
final class MemoryDriveTable implements DriveTable {
    private final Map<String, KnownDrive> drives = new ConcurrentHashMap<>();

    @Override
    public Optional<KnownDrive> find(String driveId) {
        return Optional.ofNullable(drives.get(driveId));
    }

    @Override
    public Optional<KnownDrive> findByProviderGeneratedId(String providerGeneratedId) {
        return drives.values().stream()
                .filter(d -> d.providerGeneratedId().equals(Optional.of(providerGeneratedId)))
                .max(Comparator.comparingLong(KnownDrive::fetchedAt));
    }

    @Override
    public void remember(KnownDrive drive) {
        drives.put(drive.id(), drive);
    }

    int size() {
        return drives.size();
    }
}
