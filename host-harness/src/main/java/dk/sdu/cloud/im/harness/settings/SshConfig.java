package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;
import dk.sdu.cloud.im.spi.host.SshSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code services.compute.ssh}. When {@code enabled}, {@code ipAddress} and the port range are required,
 * with {@code 1 <= portMin < portMax <= 65535}.
 *
 * @param enabled   whether jobs may be reached over SSH
 * @param ipAddress the IP address SSH services listen on (an IP literal)
 * @param hostname  the name users connect to, if not the address
 * @param portMin   the first port handed out
 * @param portMax   the end of the port range (exclusive)
 */
public record SshConfig(
        @ConfigDefault("false") boolean enabled,
        Optional<String> ipAddress,
        Optional<String> hostname,
        Optional<Integer> portMin,
        Optional<Integer> portMax
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!enabled) {
            return problems;
        }
        IpLiterals.requiredAddress(ipAddress, "ssh").ifPresent(problems::add);
        hostname.filter(String::isBlank)
                .ifPresent(h -> problems.add(new ConfigProblem("hostname", "must not be empty when given")));
        // '&', not '&&': both ports are checked so that both problems are reported.
        boolean rangeKnown = checkPort("portMin", portMin, problems) & checkPort("portMax", portMax, problems);
        if (rangeKnown && portMin.get() >= portMax.get()) {
            problems.add(new ConfigProblem("portMax", "must be greater than portMin (" + portMin.get() + "), got "
                    + portMax.get()));
        }
        return problems;
    }

    private static boolean checkPort(String key, Optional<Integer> port, List<ConfigProblem> problems) {
        if (port.isEmpty()) {
            problems.add(new ConfigProblem(key, "is required when ssh.enabled is true"));
            return false;
        }
        if (port.get() < 1 || port.get() > 65535) {
            problems.add(new ConfigProblem(key, "must be a port between 1 and 65535, got " + port.get()));
            return false;
        }
        return true;
    }

    /** The settings plugins receive. Only meaningful once {@link #validate()} found nothing. */
    public SshSettings toSettings() {
        if (!enabled) {
            return SshSettings.disabled();
        }
        return new SshSettings(true, ipAddress.orElseThrow(), hostname.orElse(null), portMin.orElseThrow(), portMax.orElseThrow());
    }
}
