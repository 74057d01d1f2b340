package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An application reference.
 *
 * @param name    the application's name
 * @param version the application's version
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NameAndVersion(String name, String version) {
}
