package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A product (machine type) reference.
 *
 * @param id       the product's name, e.g. {@code u1-standard-4}
 * @param category the product category, e.g. {@code u1-standard}
 * @param provider the provider id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductReference(String id, String category, String provider) {
}
