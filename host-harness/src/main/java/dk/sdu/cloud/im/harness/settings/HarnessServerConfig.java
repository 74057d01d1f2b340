package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code harness.server}: where {@code ucloud-im serve} listens for Core (the provider API, the harness's
 * job view and {@code /metrics}).
 *
 * @param bindHost     the address to listen on: an IP literal or a host name (default {@code 127.0.0.1}, so
 *                     that nothing outside the machine reaches the IM until the operator says so)
 * @param port         the TCP port (default {@code 8889}); {@code 0} picks a free port at start and logs it
 * @param maxBodyBytes the largest request body accepted, in bytes (default 1 MiB); larger bodies get 413
 * @param routeBindAddress the address the listeners of plugins' websocket routes bind to, for routes whose port
 *                     is not {@code port} (default {@code 0.0.0.0}: guests' agents dial them from the cluster's
 *                     network); an IP literal or a host name
 * @param linkPort     the TCP port of the reverse proxy that routes public links by their domain (the request's
 *                     {@code Host}) to the VMs, in embedded mode with {@code services.compute.publicLinks} enabled
 *                     (default {@code 8890}); {@code 0} picks a free port at start and logs it. In cluster mode
 *                     the cluster's Ingresses route links and no proxy runs
 * @param linkBindAddress the address that proxy listens on (default {@code 127.0.0.1}); an IP literal or a host name
 */
public record HarnessServerConfig(
        @ConfigDefault("127.0.0.1") String bindHost,
        @ConfigDefault("8889") int port,
        @ConfigDefault("1048576") long maxBodyBytes,
        @ConfigDefault("0.0.0.0") String routeBindAddress,
        @ConfigDefault("8890") int linkPort,
        @ConfigDefault("127.0.0.1") String linkBindAddress
) implements ValidatedConfig {
    /** The smallest body limit accepted: a single job of Core's is larger than this. */
    public static final long MIN_BODY_BYTES = 1024;
    /** The largest body limit accepted. */
    public static final long MAX_BODY_BYTES = 1L << 30;

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        // A null bindHost had the wrong type, which is a problem already.
        if (bindHost != null && bindHost.isBlank()) {
            problems.add(new ConfigProblem("bindHost", "must not be empty (e.g. 127.0.0.1, or 0.0.0.0 for every address)"));
        } else if (bindHost != null && !IpLiterals.isIpLiteral(bindHost) && !isHostName(bindHost)) {
            problems.add(new ConfigProblem("bindHost", "must be an IP address or a host name, got '" + bindHost + "'"));
        }
        if (routeBindAddress != null && routeBindAddress.isBlank()) {
            problems.add(new ConfigProblem("routeBindAddress", "must not be empty (e.g. 0.0.0.0 for every address, or 127.0.0.1)"));
        } else if (routeBindAddress != null && !IpLiterals.isIpLiteral(routeBindAddress) && !isHostName(routeBindAddress)) {
            problems.add(new ConfigProblem("routeBindAddress", "must be an IP address or a host name, got '"
                    + routeBindAddress + "'"));
        }
        if (linkBindAddress != null && linkBindAddress.isBlank()) {
            problems.add(new ConfigProblem("linkBindAddress", "must not be empty (e.g. 127.0.0.1, or 0.0.0.0 for every address)"));
        } else if (linkBindAddress != null && !IpLiterals.isIpLiteral(linkBindAddress) && !isHostName(linkBindAddress)) {
            problems.add(new ConfigProblem("linkBindAddress", "must be an IP address or a host name, got '"
                    + linkBindAddress + "'"));
        }
        if (linkPort < 0 || linkPort > 65535) {
            problems.add(new ConfigProblem("linkPort", "must be a port between 1 and 65535 (or 0 for any free port), got "
                    + linkPort));
        } else if (linkPort != 0 && linkPort == port) {
            problems.add(new ConfigProblem("linkPort", "must differ from port (" + port + "): the links' proxy listens "
                    + "beside the provider API"));
        }
        if (port < 0 || port > 65535) {
            problems.add(new ConfigProblem("port", "must be a port between 1 and 65535 (or 0 for any free port), got " + port));
        }
        if (maxBodyBytes < MIN_BODY_BYTES || maxBodyBytes > MAX_BODY_BYTES) {
            problems.add(new ConfigProblem("maxBodyBytes", "must be between " + MIN_BODY_BYTES + " and " + MAX_BODY_BYTES
                    + " bytes, got " + maxBodyBytes));
        }
        return problems;
    }

    private static boolean isHostName(String text) {
        return text.length() <= 253 && text.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    }
}
