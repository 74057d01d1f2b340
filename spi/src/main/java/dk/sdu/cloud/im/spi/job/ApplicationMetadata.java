package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An application's identity.
 *
 * @param name    the application's name
 * @param version the application's version
 * @param title   a title for people
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplicationMetadata(String name, String version, String title) {
}
