package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An application as Core resolved it for a job.
 *
 * @param metadata   name, version and title
 * @param invocation how the application runs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedApplication(ApplicationMetadata metadata, ApplicationInvocation invocation) {
}
