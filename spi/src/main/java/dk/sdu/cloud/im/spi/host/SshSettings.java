package dk.sdu.cloud.im.spi.host;

import java.util.Optional;

/**
 * How jobs are reached over SSH ({@code services.compute.ssh}).
 *
 * @param enabled   whether the provider offers SSH to jobs at all
 * @param ipAddress the external IP that SSH services listen on, or null
 * @param hostname  the host name users connect to, or null (then {@code ipAddress} is shown)
 * @param portMin   the lowest port handed out (inclusive)
 * @param portMax   the highest port handed out (exclusive)
 */
public record SshSettings(boolean enabled, String ipAddress, String hostname, int portMin, int portMax) {

    /** SSH switched off. */
    public static SshSettings disabled() {
        return new SshSettings(false, null, null, 0, 0);
    }

    /** The address users connect to. */
    public Optional<String> publicAddress() {
        return Optional.ofNullable(hostname).or(() -> Optional.ofNullable(ipAddress));
    }
}
