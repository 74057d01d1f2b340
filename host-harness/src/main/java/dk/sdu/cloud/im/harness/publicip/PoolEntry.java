package dk.sdu.cloud.im.harness.publicip;

import dk.sdu.cloud.im.harness.settings.IpLiterals;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static java.util.Objects.requireNonNull;

/**
 * One address of the provider's public IP pool: what users connect to, and where that traffic arrives inside
 * the provider's network (what a Service's {@code externalIPs} names). Both are IP literals in canonical form
 * ({@code 2001:db8::1}, never {@code 2001:0db8:0:0::1}), so that one address is never in the pool twice.
 *
 * @param externalAddress the public address
 * @param internalAddress the address inside the provider's network; the external one when they are the same
 */
public record PoolEntry(String externalAddress, String internalAddress) {
    public PoolEntry {
        externalAddress = canonical(requireNonNull(externalAddress, "externalAddress is null"), "external");
        internalAddress = canonical(requireNonNull(internalAddress, "internalAddress is null"), "internal");
    }

    /**
     * An entry as the operator writes it: {@code EXTERNAL} or {@code EXTERNAL=INTERNAL}.
     *
     * @throws IllegalArgumentException naming the part that is not an IP address
     */
    public static PoolEntry parse(String text) {
        requireNonNull(text, "text is null");
        int equals = text.indexOf('=');
        if (equals < 0) {
            return new PoolEntry(text.trim(), text.trim());
        }
        return new PoolEntry(text.substring(0, equals).trim(), text.substring(equals + 1).trim());
    }

    /** Whether the public address is an IPv6 one. */
    public boolean ipv6() {
        return externalAddress.contains(":");
    }

    /** The canonical text of an address literal; the same address always gives the same text. */
    static String canonical(String text, String which) {
        if (!IpLiterals.isIpLiteral(text)) {
            throw new IllegalArgumentException("the " + which + " address '" + text
                    + "' is not an IPv4 or IPv6 address");
        }
        try {
            // A literal (checked above) is parsed, never looked up in DNS.
            return InetAddress.getByName(text).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the " + which + " address '" + text + "' is not an IP address", e);
        }
    }
}
