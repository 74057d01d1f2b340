package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a tool is.
 *
 * @param backend     the tool backend: {@code DOCKER}, {@code SINGULARITY}, {@code NATIVE} or
 *                    {@code VIRTUAL_MACHINE}
 * @param image       the container image, or for a virtual machine the URL of its disk image
 * @param imageSha256 the disk image's SHA-256 in hex, when the application states one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolDescription(String backend, String image, String imageSha256) {
    /** The tool backend of virtual machine applications. */
    public static final String VIRTUAL_MACHINE = "VIRTUAL_MACHINE";
}
