package dk.sdu.cloud.im.harness.core;

/**
 * The SSH keys of a job could not be got from Core; its cause is the failed call. Thrown rather than answering no
 * keys, so that a machine is not started without its owner's keys: the caller retries (a job's start) or keeps the
 * keys it has (a running machine).
 */
public final class SshKeysUnavailableException extends RuntimeException {
    public SshKeysUnavailableException(String message, CoreCallException cause) {
        super(message, cause);
    }
}
