package dk.sdu.cloud.im.spi.storage;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name that {@code services.compute.virtualMachines.storage.type} uses to select a
 * {@link VmDiskStorage} extension. Required on every such extension; the host reads it without creating
 * the extension, so only the selected backend is created and only its configuration is bound.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StorageType {
    /** The type name, e.g. {@code HostPath}. Unique among the installed plugins. */
    String value();
}
