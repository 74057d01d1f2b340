package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.List;
import java.util.Optional;

/**
 * The host's part of {@code services.compute.virtualMachines}: whether VMs are on and which storage backend
 * holds their disks. The compute backend's own keys there, and the storage backend's keys under
 * {@code storage}, belong to those plugins' sections.
 *
 * @param enabled whether virtual machines may run (read by the compute backend too)
 * @param storage the storage selection
 */
public record VirtualMachinesConfig(@ConfigDefault("false") boolean enabled, Optional<StorageSelection> storage)
        implements ValidatedConfig {

    /** The key path of the storage type. */
    public static final String STORAGE_TYPE_PATH = "services.compute.virtualMachines.storage.type";

    /** The selected storage type, if any. */
    public Optional<String> storageType() {
        return storage.flatMap(StorageSelection::type);
    }

    @Override
    public List<ConfigProblem> validate() {
        if (enabled && storageType().isEmpty()) {
            return List.of(new ConfigProblem("storage.type",
                    "is required when virtualMachines.enabled is true (it names the storage backend of VM disks)"));
        }
        return List.of();
    }

    /**
     * {@code services.compute.virtualMachines.storage}: the host reads only {@code type}; the selected
     * storage plugin's section reads the rest.
     *
     * @param type the {@code @StorageType} name of the storage backend
     */
    public record StorageSelection(Optional<String> type) {
    }
}
