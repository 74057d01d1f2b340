package dk.sdu.cloud.im.spi.host;

import java.util.List;
import java.util.function.Consumer;

/**
 * The SSH public keys of job owners, as UCloud/Core holds them ({@code jobs/control.browseSshKeys}).
 */
public interface SshKeyDirectory {

    /** The public keys (OpenSSH one-line format) that may log in to the job's machines. */
    List<String> authorizedKeys(String jobId);

    /**
     * Asks to be told when a job's keys may have changed, so that a running machine gets them at once rather
     * than at its next start. The listener receives the job's id, on a thread of the directory's; it must not
     * block. A directory that cannot tell (the default) never calls it.
     *
     * @return closing it stops the calls
     */
    default AutoCloseable watch(Consumer<String> listener) {
        return () -> {
        };
    }
}
