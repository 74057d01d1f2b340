package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How an application runs: its tool, and the interactive features it asks for.
 *
 * @param tool the tool (for a VM: the disk image)
 * @param ssh  the application's SSH mode, or null (treated as {@link SshMode#DISABLED} for containers,
 *             and as on for virtual machines, as UCloud does)
 * @param vnc  VNC settings, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplicationInvocation(ToolReference tool, SshDescription ssh, VncDescription vnc) {
}
