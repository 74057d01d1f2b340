package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tool reference with the resolved tool.
 *
 * @param name    the tool's name
 * @param version the tool's version
 * @param tool    the resolved tool
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolReference(String name, String version, Tool tool) {
}
