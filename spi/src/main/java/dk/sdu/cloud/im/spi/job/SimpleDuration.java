package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A duration in Core's shape.
 *
 * @param hours   hours
 * @param minutes minutes
 * @param seconds seconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimpleDuration(int hours, int minutes, int seconds) {
}
