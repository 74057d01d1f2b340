package dk.sdu.cloud.im.kubevirt.admission;

import static java.util.Objects.requireNonNull;

/**
 * How a job is reached over SSH, when SSH applies to it.
 *
 * @param externalIp    the IP that the {@code j-<job>-ssh} Service lists in {@code externalIPs}
 * @param publicAddress the host name (or IP) users connect to
 * @param portMin       the lowest port the reconciler may allocate (inclusive)
 * @param portMax       the highest port the reconciler may allocate (exclusive)
 */
public record SshAccess(String externalIp, String publicAddress, int portMin, int portMax) {
    public SshAccess {
        requireNonNull(externalIp, "externalIp is null");
        requireNonNull(publicAddress, "publicAddress is null");
        if (portMin < 1 || portMax > 65536 || portMin >= portMax) {
            throw new IllegalArgumentException("SSH ports must be a non-empty range within 1..65535, got ["
                    + portMin + ", " + portMax + ")");
        }
    }

    /** Whether a port lies in {@code [portMin, portMax)}. */
    public boolean allows(int port) {
        return port >= portMin && port < portMax;
    }
}
