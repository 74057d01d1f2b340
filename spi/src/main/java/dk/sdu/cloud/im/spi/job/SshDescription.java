package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An application's SSH settings.
 *
 * @param mode whether SSH is off, up to the user, or always on
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SshDescription(SshMode mode) {
}
