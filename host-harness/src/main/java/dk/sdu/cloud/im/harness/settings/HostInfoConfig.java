package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One host of {@code provider.hosts}, as UCloud's {@code HostInfo}: where a program reaches another.
 *
 * @param address a host name or IP address
 * @param port    the TCP port; {@code 0} (absent) is refused for {@code ucloud} and {@code self} (checked by
 *                {@link ProviderHostsConfig}), and means the scheme's port (80, 443) for the public hosts
 * @param scheme  {@code http} or {@code https}; absent or anything else: {@code https} when the port is 443 or
 *                8443, else {@code http} (UCloud's rule)
 */
public record HostInfoConfig(String address, @ConfigDefault("0") int port, Optional<String> scheme)
        implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (address != null && (address.isBlank()
                || !(address.matches("[^\\s/:?#@\\[\\]]+") || IpLiterals.isIpLiteral(address)))) {
            problems.add(new ConfigProblem("address", "must be a host name or an IP address (no scheme, port or "
                    + "path), got '" + address + "'"));
        }
        if (port < 0 || port > 65535) {
            problems.add(new ConfigProblem("port", "must be between 1 and 65535, got " + port));
        }
        return problems;
    }

    /** The scheme as UCloud picks it: the given {@code http}/{@code https}, else by the port. */
    public String effectiveScheme() {
        Optional<String> given = scheme.map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> s.equals("http") || s.equals("https"));
        return given.orElse(port == 443 || port == 8443 ? "https" : "http");
    }

    /** The base URL, e.g. {@code https://cloud.sdu.dk:443}; without a port, the scheme's own. */
    public URI url() {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return URI.create(effectiveScheme() + "://" + host + (port == 0 ? "" : ":" + port));
    }
}
