package dk.sdu.cloud.im.spi.job;

/** An application's SSH mode. */
public enum SshMode {
    /** Never SSH. */
    DISABLED,
    /** SSH when the job's {@code sshEnabled} is set. */
    OPTIONAL,
    /** Always SSH. */
    MANDATORY
}
