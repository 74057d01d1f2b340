package dk.sdu.cloud.im.spi.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a configuration record component takes when its key is absent, written as it would be in YAML
 * (e.g. {@code "false"}, {@code "50"}, {@code "ucloud-apps"}). Makes the key optional.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface ConfigDefault {
    /** The default, as YAML text. */
    String value();
}
