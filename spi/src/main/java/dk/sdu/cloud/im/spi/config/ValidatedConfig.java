package dk.sdu.cloud.im.spi.config;

import java.util.List;

/**
 * A configuration record with checks beyond types and required keys (for example: one key must name an entry
 * of a map). The host calls {@link #validate()} after binding and reports its problems with all others.
 */
public interface ValidatedConfig {

    /** Every problem found, with key paths relative to the section; empty when the section is valid. */
    List<ConfigProblem> validate();
}
