package dk.sdu.cloud.im.spi.host;

import java.util.List;

/**
 * The SSH public keys of job owners, as UCloud/Core holds them ({@code jobs/control.browseSshKeys}).
 */
public interface SshKeyDirectory {

    /** The public keys (OpenSSH one-line format) that may log in to the job's machines. */
    List<String> authorizedKeys(String jobId);
}
