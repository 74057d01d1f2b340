package dk.sdu.cloud.im.spi.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record as a plugin's configuration section, bound from the YAML at a dotted key path such as
 * {@code services.compute.virtualMachines}. Keys below that path that belong to another section or to the
 * host (for example {@code storage} below {@code virtualMachines}) are not part of this section.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConfigSection {
    /** The dotted key path of the section. */
    String value();
}
