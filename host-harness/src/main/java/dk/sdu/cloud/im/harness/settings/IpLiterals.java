package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Recognises IP address literals without ever asking DNS. */
public final class IpLiterals {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    private IpLiterals() {
    }

    /** Whether the text is an IPv4 or IPv6 address literal. */
    public static boolean isIpLiteral(String text) {
        if (text.matches(OCTET + "(\\." + OCTET + "){3}")) {
            return true;
        }
        // Only text made of hex digits, ':' and '.' reaches InetAddress, which then parses it as a literal.
        if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The problem of a section's required {@code ipAddress} (missing, or not an address), if any.
     *
     * @param section the section's name in the message, e.g. {@code ssh}
     */
    static Optional<ConfigProblem> requiredAddress(Optional<String> ipAddress, String section) {
        if (ipAddress.isEmpty()) {
            return Optional.of(new ConfigProblem("ipAddress", "is required when " + section + ".enabled is true"));
        }
        if (!isIpLiteral(ipAddress.get())) {
            return Optional.of(new ConfigProblem("ipAddress", "must be an IPv4 or IPv6 address, got '"
                    + ipAddress.get() + "'"));
        }
        return Optional.empty();
    }
}
