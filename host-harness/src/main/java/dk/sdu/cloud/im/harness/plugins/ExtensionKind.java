package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;

/** The SPI extension points the host uses. */
public enum ExtensionKind {
    /** {@link ComputeBackend}: every installed one is created. */
    COMPUTE_BACKEND(ComputeBackend.class),
    /** {@link VmDiskStorage}: the one named by {@code storage.type} is created. */
    VM_DISK_STORAGE(VmDiskStorage.class);

    private final Class<?> extensionPoint;

    ExtensionKind(Class<?> extensionPoint) {
        this.extensionPoint = extensionPoint;
    }

    /** The SPI interface. */
    public Class<?> extensionPoint() {
        return extensionPoint;
    }

    /** The interface's simple name, for listings. */
    public String displayName() {
        return extensionPoint.getSimpleName();
    }
}
